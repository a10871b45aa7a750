//! `thrive-temporal`: a Temporal worker serving the thrive-blocks catalogue
//! as activities (`run_tool`, `sync_plan`, `sync_step`).
//!
//! ```text
//! thrive-temporal --task-queue thrive --namespace default [--address 127.0.0.1:7233]
//! ```
//!
//! The Thrive connection comes from the environment (`THRIVE_TENANT_ID`,
//! `THRIVE_API_KEY`, `THRIVE_HOST`, `THRIVE_ALLOWED_HOSTS`, ...), never from
//! activity inputs. The Temporal address may also be given as
//! `TEMPORAL_ADDRESS`, the namespace as `TEMPORAL_NAMESPACE`.

use std::process::ExitCode;
use temporalio_client::{Client, ClientOptions, Connection, ConnectionOptions};
use temporalio_sdk::{Runtime, Worker, WorkerOptions};
use thrive_temporal::gate::Gate;
use thrive_temporal::{Shared, ThriveActivities};

/// The command line.
#[derive(Debug, PartialEq)]
struct Args {
    task_queue: String,
    namespace: String,
    address: String,
}

const USAGE: &str =
    "usage: thrive-temporal --task-queue QUEUE [--namespace NS] [--address HOST:PORT]";

fn parse(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Args, String> {
    let mut task_queue = None;
    let mut namespace = env("TEMPORAL_NAMESPACE");
    let mut address = env("TEMPORAL_ADDRESS");
    let mut it = args.into_iter();
    while let Some(flag) = it.next() {
        let slot = match flag.as_str() {
            "--task-queue" => &mut task_queue,
            "--namespace" => &mut namespace,
            "--address" => &mut address,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        };
        *slot = Some(
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?,
        );
    }
    Ok(Args {
        task_queue: task_queue.ok_or_else(|| format!("--task-queue is required\n{USAGE}"))?,
        namespace: namespace.unwrap_or_else(|| "default".to_owned()),
        address: address.unwrap_or_else(|| "127.0.0.1:7233".to_owned()),
    })
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let target = if args.address.contains("://") {
        args.address.clone()
    } else {
        format!("http://{}", args.address)
    };
    let connection =
        Connection::connect(ConnectionOptions::new(url::Url::parse(&target)?).build()).await?;
    let client = Client::new(
        connection,
        ClientOptions::new(args.namespace.clone()).build(),
    )?;
    let gate = Gate::shared(client.clone(), args.task_queue.clone());
    let options = WorkerOptions::new(args.task_queue.clone())
        .register_activities(ThriveActivities::new(Shared::from_env(gate)))
        .build();
    let mut worker = Worker::new(&runtime, client, options)?;
    let shutdown = worker.shutdown_handle();
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("interrupted: finishing running activities");
        shutdown();
    });
    tracing::info!(task_queue = %args.task_queue, namespace = %args.namespace, address = %args.address, "thrive-temporal worker started");
    worker.run().await?;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = match parse(std::env::args().skip(1), |k| std::env::var(k).ok()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("thrive-temporal: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn the_command_line() {
        let none = |_: &str| None;
        assert_eq!(
            parse(
                argv("--task-queue q --namespace ns --address 127.0.0.1:7"),
                none
            ),
            Ok(Args {
                task_queue: "q".into(),
                namespace: "ns".into(),
                address: "127.0.0.1:7".into()
            })
        );
        let env = |k: &str| (k == "TEMPORAL_ADDRESS").then(|| "10.0.0.1:7233".to_owned());
        assert_eq!(
            parse(argv("--task-queue q"), env),
            Ok(Args {
                task_queue: "q".into(),
                namespace: "default".into(),
                address: "10.0.0.1:7233".into()
            })
        );
        assert!(
            parse(argv("--namespace x"), none)
                .unwrap_err()
                .starts_with("--task-queue is required")
        );
        assert!(
            parse(argv("--task-queue"), none)
                .unwrap_err()
                .starts_with("--task-queue needs a value")
        );
        assert!(
            parse(argv("--bogus 1"), none)
                .unwrap_err()
                .starts_with("unknown argument `--bogus`")
        );
    }
}
