//! The `latch` executable. Everything lives in the library so that tests can drive the
//! language server in-process.

fn main() -> std::process::ExitCode {
    latch::run()
}
