//! `thrive-sandbox`: serve the Thrive Learning API fake on loopback until
//! Ctrl-C.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use thrive_sandbox::{Faults, Sandbox, SandboxConfig};

const USAGE: &str = "\
Usage: thrive-sandbox [OPTIONS]

Serves a stateful fake of the Thrive Learning REST API on 127.0.0.1.

Options:
  --port P                      Port to listen on (default 18080; 0 = any free port)
  --tenant-id ID                Tenant id / Basic username (default eu-west-2_SandboxDemo)
  --api-key KEY                 API key / Basic password (default sandbox-api-key)
  --client-id ID                OAuth client id (default sandbox-client)
  --client-secret SECRET        OAuth client secret (default sandbox-client-secret)
  --seed N                      Seed for the demo data (default 42)
  --empty                       Start with an empty tenant (skill levels only)
  --latency-ms MS               Add latency to every /rest call
  --rate-429 SHARE              Share (0-1) of /rest calls answered 429
  --retry-after SECS            Retry-After sent with injected 429s (default 1)
  --rate-5xx SHARE              Share (0-1) of /rest calls answered 500/502/503
  --rate-drop SHARE             Share (0-1) of /rest calls whose connection is dropped
  --slow-body-ms MS             Stream response bodies slowly over about MS
  --faults-on-token             Apply faults to the OAuth token endpoint too
  --delete-structure MODE       refuse (default) or cascade
  --delete-response MODE        json (200 {\"success\":true}, default) or no-content (204)
  --token-ttl SECS              OAuth token lifetime (default 3600)
  --protect-ui-audiences        Refuse writes to audiences not created through the API
  -h, --help                    Show this help
";

struct Options {
    config: SandboxConfig,
    port: u16,
}

fn parse_number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag}: `{value}` is not a valid number"))
}

fn parse_share(flag: &str, value: &str) -> Result<f64, String> {
    let share: f64 = parse_number(flag, value)?;
    if (0.0..=1.0).contains(&share) {
        Ok(share)
    } else {
        Err(format!(
            "{flag}: expected a share between 0 and 1, got {value}"
        ))
    }
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<Options>, String> {
    let mut config = SandboxConfig::default();
    let mut faults = Faults::default();
    let mut port = 18080u16;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => port = parse_number(&flag, &value(&flag)?)?,
            "--tenant-id" => config.tenant_id = value(&flag)?,
            "--api-key" => config.api_key = value(&flag)?,
            "--client-id" => config.client_id = value(&flag)?,
            "--client-secret" => config.client_secret = value(&flag)?,
            "--seed" => config.seed = parse_number(&flag, &value(&flag)?)?,
            "--empty" => config.empty = true,
            "--latency-ms" => faults.latency_ms = parse_number(&flag, &value(&flag)?)?,
            "--rate-429" => faults.rate_429 = parse_share(&flag, &value(&flag)?)?,
            "--retry-after" => faults.retry_after_secs = parse_number(&flag, &value(&flag)?)?,
            "--rate-5xx" => faults.rate_5xx = parse_share(&flag, &value(&flag)?)?,
            "--rate-drop" => faults.rate_drop = parse_share(&flag, &value(&flag)?)?,
            "--slow-body-ms" => faults.slow_body_ms = parse_number(&flag, &value(&flag)?)?,
            "--faults-on-token" => config.faults_on_token_endpoint = true,
            "--delete-structure" => config.delete_structure = value(&flag)?.parse()?,
            "--delete-response" => config.delete_response = value(&flag)?.parse()?,
            "--token-ttl" => config.token_ttl_secs = parse_number(&flag, &value(&flag)?)?,
            "--protect-ui-audiences" => config.protect_ui_audiences = true,
            other => return Err(format!("unknown option `{other}` (see --help)")),
        }
    }
    config.faults = faults;
    Ok(Some(Options { config, port }))
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("thrive-sandbox: {message}");
            return ExitCode::from(2);
        }
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, options.port));
    let sandbox = match Sandbox::start_on(options.config, addr).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            eprintln!("thrive-sandbox: cannot listen on {addr}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let creds = sandbox.demo_credentials();
    let state = sandbox.state();
    let base = sandbox.base_url();
    println!("Thrive sandbox listening on {base}");
    println!("  REST API:       {base}/rest/v1/…  and  {base}/rest/v2/users…");
    println!(
        "  OAuth token:    POST {base}/oauth2/token/{}",
        creds.tenant_id
    );
    println!("  tenant id:      {}", creds.tenant_id);
    println!("  api key:        {}", creds.api_key);
    println!("  client id:      {}", creds.client_id);
    println!("  client secret:  {}", creds.client_secret);
    println!(
        "  data:           {} users, {} audiences, {} content items (seed {})",
        state.user_count(),
        state.audiences().len(),
        state.contents().len(),
        sandbox.config().seed
    );
    if sandbox.config().faults.is_active() {
        println!("  faults:         {:?}", sandbox.config().faults);
    }
    println!("Point a tool at it with: THRIVE_ALLOWED_HOSTS={base}");
    println!("Press Ctrl-C to stop.");
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("thrive-sandbox: cannot wait for Ctrl-C: {error}");
    }
    println!("Stopping…");
    let stats = sandbox.stats();
    sandbox.shutdown().await;
    println!("Served {} request(s).", stats.total_requests);
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Options>, String> {
        parse_args(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn parses_flags() {
        let options = parse(&[
            "--port",
            "0",
            "--empty",
            "--seed=7",
            "--rate-429",
            "0.5",
            "--delete-structure",
            "cascade",
        ])
        .ok()
        .flatten()
        .expect("options");
        assert_eq!(options.port, 0);
        assert!(options.config.empty);
        assert_eq!(options.config.seed, 7);
        assert_eq!(options.config.faults.rate_429, 0.5);
        assert_eq!(
            options.config.delete_structure,
            thrive_sandbox::DeleteStructureMode::Cascade
        );
        assert!(parse(&["--rate-5xx", "2"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        assert!(parse(&["--port"]).is_err());
        assert!(matches!(parse(&["--help"]), Ok(None)));
    }
}
