fn main() -> std::process::ExitCode {
    switchboard_bench::cli::main()
}
