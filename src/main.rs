//! The `spj` binary: all logic lives in the library.

fn main() {
    let code = spj::run(
        std::env::args_os(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(code);
}
