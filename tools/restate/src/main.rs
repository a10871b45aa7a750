//! `thrive-restate`: serve the thrive-blocks catalogue as a Restate
//! deployment (services `ThriveTools`, `ThriveTenant`, `ThriveGate`,
//! `AudienceSync`).

use std::net::SocketAddr;
use std::process::ExitCode;

const USAGE: &str = "\
Usage: thrive-restate [--listen ADDR] [--ingress URL]

Serves the thrive-blocks catalogue as a Restate deployment (HTTP/2, h2c).
Register it with the Restate server's admin API, e.g.
  curl -X POST http://127.0.0.1:9070/deployments -H 'content-type: application/json' \\
       -d '{\"uri\": \"http://127.0.0.1:9080\"}'

Options:
  --listen ADDR   Address to listen on (default 127.0.0.1:9080)
  --ingress URL   The Restate server's ingress, through which every step reads
                  and closes the tenant's shared 429 gate right before and
                  after its call (default $THRIVE_RESTATE_INGRESS, else
                  http://127.0.0.1:8080)
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
    let mut ingress = std::env::var("THRIVE_RESTATE_INGRESS")
        .unwrap_or_else(|_| "http://127.0.0.1:8080".to_owned());
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
            "--ingress" => match args.next() {
                Some(url) => ingress = url,
                None => {
                    eprintln!("thrive-restate: --ingress needs a URL like http://127.0.0.1:8080");
                    return ExitCode::from(2);
                }
            },
            other => {
                eprintln!("thrive-restate: unknown argument `{other}` (see --help)");
                return ExitCode::from(2);
            }
        }
    }
    let ingress = match reqwest::Url::parse(&ingress) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => url,
        _ => {
            eprintln!(
                "thrive-restate: ingress `{ingress}` is not an http(s) URL like http://127.0.0.1:8080"
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
    eprintln!("thrive-restate listening on {listen} (shared gate through {ingress})");
    restate_sdk::http_server::HttpServer::new(thrive_restate::endpoint(ingress))
        .serve(listener)
        .await;
    ExitCode::SUCCESS
}
