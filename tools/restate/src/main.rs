//! `thrive-restate`: serve the thrive-blocks catalogue as a Restate
//! deployment (services `ThriveTools`, `ThriveTenant`, `ThriveGate`,
//! `AudienceSync`, `SyncStart`).

use std::net::SocketAddr;
use std::process::ExitCode;

const USAGE: &str = "\
Usage: thrive-restate [--listen ADDR] [--admin URL]

Serves the thrive-blocks catalogue as a Restate deployment (HTTP/2, h2c).
Register it with the Restate server's admin API, e.g.
  curl -X POST http://127.0.0.1:9070/deployments -H 'content-type: application/json' \\
       -d '{\"uri\": \"http://127.0.0.1:9080\"}'

Options:
  --listen ADDR   Address to listen on (default 127.0.0.1:9080)
  --admin URL     The Restate server's admin API, through which every call
                  reads and closes the tenant's shared 429 gate right before
                  and after it is sent, without needing any deployment up
                  (default $THRIVE_RESTATE_ADMIN, else http://127.0.0.1:9070)
  -h, --help      Show this help

Environment:
  THRIVE_TENANT_ID, THRIVE_API_KEY, THRIVE_HOST, THRIVE_CLIENT_ID, THRIVE_SCOPE
                  Connection inputs used when a request leaves them out (keeps
                  credentials out of Restate's journal).
  THRIVE_ALLOWED_HOSTS
                  Extra Thrive origins to allow (comma-separated), e.g. a sandbox.
  RUST_LOG        Log filter (default info).
";

#[tokio::main]
async fn main() -> ExitCode {
    let mut listen: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 9080));
    let mut admin = std::env::var("THRIVE_RESTATE_ADMIN")
        .unwrap_or_else(|_| "http://127.0.0.1:9070".to_owned());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--listen" => match args.next().map(|a| a.parse::<SocketAddr>()) {
                Some(Ok(addr)) => listen = addr,
                _ => {
                    eprintln!("thrive-restate: --listen needs an address like 127.0.0.1:9080");
                    return ExitCode::from(2);
                }
            },
            "--admin" => match args.next() {
                Some(url) => admin = url,
                None => {
                    eprintln!("thrive-restate: --admin needs a URL like http://127.0.0.1:9070");
                    return ExitCode::from(2);
                }
            },
            other => {
                eprintln!("thrive-restate: unknown argument `{other}` (see --help)");
                return ExitCode::from(2);
            }
        }
    }
    let admin = match reqwest::Url::parse(&admin) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => url,
        _ => {
            eprintln!(
                "thrive-restate: admin `{admin}` is not an http(s) URL like http://127.0.0.1:9070"
            );
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("thrive-restate: cannot listen on {listen}: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!("thrive-restate listening on {listen} (shared gate through {admin})");
    restate_sdk::http_server::HttpServer::new(thrive_restate::endpoint(admin))
        .serve(listener)
        .await;
    ExitCode::SUCCESS
}
