package io.devops.collector.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The procfs formats, including the awkward cases a live host rarely shows on demand. */
class ProcFsTest {
    @TempDir
    Path root;

    @Test
    void readsWholeDisksInterfacesAndProcessesWhateverTheirNames() throws IOException {
        Path proc = Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("sys/block/sda"));
        Files.writeString(proc.resolve("diskstats"), """
                   7       0 loop0 10 0 20 0 0 0 0 0 0 0 0 0 0 0 0 0 0
                   8       0 sda 100 5 2000 40 50 7 1000 30 0 60 70 0 0 0 0 0 0
                   8       1 sda1 90 5 1800 35 45 7 900 25 0 55 60 0 0 0 0 0 0
                """);
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net/dev"), """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:  500       5    0    0    0     0          0         0      500       5    0    0    0     0       0          0
                  eth0: 1000      10    1    2    0     0          0         0     2000      20    3    0    0     0       0          0
                  ifb0:    0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
                """);
        Files.createDirectories(root.resolve("sys/class/net/ifb0"));
        Files.writeString(root.resolve("sys/class/net/ifb0/operstate"), "down\n");
        Path weird = Files.createDirectories(proc.resolve("42"));
        Files.writeString(weird.resolve("stat"),
                "42 (my (odd) name) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 7 0 100 1000000 300 18446744073709551615\n");
        Files.createDirectories(proc.resolve("43")); // exited between the listing and the read
        Files.createDirectories(proc.resolve("self"));

        ProcFs procFs = new ProcFs(proc, root.resolve("sys"));

        assertThat(procFs.disks()).containsExactly(new ProcFs.DiskIo("sda", 100, 2000 * 512L, 50, 1000 * 512L, 60));
        assertThat(procFs.interfaces()).containsExactly(new ProcFs.InterfaceTraffic("eth0", 1000, 10, 1, 2, 2000, 20, 3));
        assertThat(procFs.processes()).containsExactly(new ProcFs.ProcessStat(42, "my (odd) name", 300, 7, 300));
    }
}
