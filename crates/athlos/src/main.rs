use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = athlos::cli::Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(athlos::run(cli))
}
