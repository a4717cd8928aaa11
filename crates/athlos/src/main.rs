use std::process::ExitCode;

use clap::Parser;

// glibc's allocator spent a fifth of an authenticated read in malloc and
// free (bench/reads); mimalloc's per-thread pages make those cheap.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    return_large_blocks_to_the_system();
    let cli = athlos::cli::Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(athlos::run(cli))
}

/// glibc serves a large block from a thread's own arena once a block that
/// size has been freed (its mmap threshold climbs to 32 MiB), and keeps
/// arena memory after it is freed. With password hashes (19 MiB each) and
/// track readings spread over many blocking threads, a login storm left
/// every such thread holding its share for good. A fixed threshold of 1 MiB
/// maps every large block on its own and gives it back when it is freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_blocks_to_the_system() {
    // SAFETY: mallopt only sets an allocator tunable; it is called before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_blocks_to_the_system() {}
