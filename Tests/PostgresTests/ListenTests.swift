import Foundation
import Postgres
import Testing
import TestSupport

@Suite("LISTEN/NOTIFY")
struct ListenTests {
    @Test func notificationsArriveOnTheListeningConnection() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let listener = try await AsyncConnection.connect(conninfo)
        let sender = try Connection(conninfo)
        let received = try await listener.listen(["test_channel"]) { notifications -> [String] in
            try sender.query("select pg_notify('test_channel', $1)", ["hello"])
            try sender.query("select pg_notify('test_channel', $1)", ["world"])
            var payloads: [String] = []
            for try await n in notifications {
                payloads.append(n.payload)
                if payloads.count == 2 { break }
            }
            return payloads
        }
        #expect(received == ["hello", "world"])
        await listener.close()
    }

    @Test func waitingTimesOutWhenNothingComes() throws {
        let connection = try Connection(TestCluster.shared.conninfo())
        try connection.listen(["quiet_channel"])
        let got = try connection.waitForNotifications(timeout: .milliseconds(200))
        #expect(got.isEmpty)
    }

    @Test func aWakeDescriptorInterruptsTheWait() throws {
        let connection = try Connection(TestCluster.shared.conninfo())
        try connection.listen(["quiet_channel_2"])
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        var byte: UInt8 = 1
        _ = write(fds[1], &byte, 1)
        let got = try connection.waitForNotifications(timeout: .seconds(30), wakeFD: fds[0])
        #expect(got.isEmpty)
        close(fds[0]); close(fds[1])
    }
}
