/// A wake-up flag for the claim loop: set by notifications and finished jobs, awaited with a timeout.
actor WakeSignal {
    private var pending = false
    private var waiter: CheckedContinuation<Void, Never>?

    /// Wakes the waiter now, or the next wait() at once.
    func signal() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            pending = true
        }
    }

    /// Returns when signalled or after `timeout`.
    func wait(timeout: Duration) async {
        if pending { pending = false; return }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.signal()
        }
        await withCheckedContinuation { continuation in
            if pending { pending = false; continuation.resume() } else { waiter = continuation }
        }
        pending = false
        timer.cancel()
    }
}
