//! `supervisor`: the rebalancer daemon and the clients of its control socket.

mod cli;

use std::process::ExitCode;

use clap::Parser;
use supervisor::commands;
use supervisor::daemon::{self, DaemonOptions};
use trading_core::control::Request;

use cli::{Cli, Sub};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let socket = cli.socket_path();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Sub::Run { id: Some(id), json } => commands::runs::show(&socket, id, json).await,
            Sub::Run { id: None, .. } => {
                cli::init_logging(cli.log_format);
                let options = DaemonOptions {
                    config: cli.config,
                    accounts: cli.accounts,
                    replacement_sets: cli.replacement_sets,
                };
                daemon::run(options).await.map(|()| 0)
            }
            Sub::Status { json, check } => commands::status::run(&socket, json, check).await,
            Sub::Check { json } => {
                let options = DaemonOptions {
                    config: cli.config,
                    accounts: cli.accounts,
                    replacement_sets: cli.replacement_sets,
                };
                let items = supervisor::preflight::run(&options).await;
                if json {
                    println!("{}", serde_json::to_string(&items).unwrap_or_default());
                } else {
                    print!("{}", supervisor::preflight::render(&items));
                }
                Ok(if items.iter().all(|i| i.ok) { 0 } else { 1 })
            }
            Sub::Migrate { from, to, force } => {
                supervisor::migrate::run(&from, &to, force).map(|migrated| {
                    print!("{}", migrated.report);
                    0
                })
            }
            Sub::Trigger {
                strategy,
                command,
                accounts,
                at_open,
                confirm_targets,
            } => {
                commands::trigger::run(
                    &socket,
                    Request::Trigger {
                        strategy,
                        command,
                        accounts,
                        at_open,
                        confirm_targets,
                    },
                )
                .await
            }
            Sub::Runs {
                strategy,
                limit,
                json,
            } => commands::runs::list(&socket, strategy, limit, json).await,
            Sub::Retry { id } => commands::retry::run(&socket, id).await,
            Sub::Cancel { id } => commands::cancel::run(&socket, id).await,
            Sub::Pause { strategy } => {
                commands::pause::run(&socket, Request::Pause { strategy }).await
            }
            Sub::Resume { strategy } => {
                commands::pause::run(&socket, Request::Resume { strategy }).await
            }
        }
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
