/// Every handler this build of the worker runs, by kind.
public enum WorkerHandlers {
    public static func all() -> HandlerRegistry {
        HandlerRegistry([NoopHandler()] + backtestHandlers())
    }
}
