//! `worker`: one strategy's rebalance. Today it offers `worker plan`, the offline calculator.

mod plan;
mod table;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code for bad arguments, configuration or input files.
const EXIT_BAD_INPUT: u8 = 2;

#[derive(Parser)]
#[command(version, about = "Rebalances the accounts of one trading strategy")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Plan(plan::PlanArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Plan(args) => plan::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}
