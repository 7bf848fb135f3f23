//! `worker`: one strategy's run over IB Gateway, by hand or as the supervisor's job, and
//! `worker plan`, the offline calculator.

mod account;
mod cli;
mod engine;
mod events;
mod job_mode;
mod logging;
mod manual;
mod plan;
mod progress;
mod render;
mod signals;
mod table;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Sub};

/// Exit code for bad arguments, job or configuration.
const EXIT_BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.subcommand {
        Some(Sub::Plan(args)) => finish(plan::run(&args).map(|()| 0)),
        Some(Sub::Job) => {
            logging::init(cli.log_format, "info");
            with_runtime(async {
                let job = job_mode::read_job().await?;
                job_mode::run(job).await.map(|summary| summary.exit_code())
            })
        }
        None => {
            logging::init(cli.log_format, "warn");
            let prepared = match manual::prepare(&cli.manual) {
                Ok(prepared) => prepared,
                Err(err) => return finish(Err(err)),
            };
            with_runtime(async { manual::run(prepared).await.map(|s| s.exit_code()) })
        }
    }
}

fn with_runtime(work: impl Future<Output = anyhow::Result<u8>>) -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => finish(runtime.block_on(work)),
        Err(err) => finish(Err(anyhow::anyhow!(
            "cannot start the async runtime: {err}"
        ))),
    }
}

fn finish(result: anyhow::Result<u8>) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // stderr may be a closed pipe (the supervisor died): never panic on it.
            let _ = writeln!(std::io::stderr(), "error: {err:#}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}
