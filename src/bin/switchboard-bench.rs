fn main() -> std::process::ExitCode {
    switchboard::loadtest::cli::main()
}
