fn main() -> std::process::ExitCode {
    keel::tune_allocator();
    keel::cli::main()
}
