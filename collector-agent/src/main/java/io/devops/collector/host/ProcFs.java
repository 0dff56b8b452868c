package io.devops.collector.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-interval readings that OSHI makes expensive, read the way node_exporter reads them: one
 * file for all disks ({@code diskstats}), one for all interfaces ({@code net/dev}) and one per
 * process ({@code <pid>/stat}). OSHI reads five files and resolves a user name for every process,
 * and enumerates disks through udev; at a 15 s interval that was most of the agent's CPU time.
 */
final class ProcFs {
    private static final long SECTOR_BYTES = 512;

    private final Path proc;
    private final Path sys;

    ProcFs(Path proc, Path sys) {
        this.proc = proc;
        this.sys = sys;
    }

    /** Cumulative I/O of a whole disk (partitions, loop and RAM devices left out). */
    record DiskIo(String device, long reads, long readBytes, long writes, long writeBytes, long ioTimeMillis) {
    }

    /** Cumulative traffic of a network interface (loopback and down interfaces left out). */
    record InterfaceTraffic(String name, long bytesRecv, long packetsRecv, long errorsIn, long dropsIn, long bytesSent,
            long packetsSent, long errorsOut) {
    }

    /** One process: CPU time used since it started in clock ticks, threads, resident pages. */
    record ProcessStat(int pid, String name, long cpuTicks, long threads, long residentPages) {
    }

    List<DiskIo> disks() {
        List<DiskIo> disks = new ArrayList<>();
        for (String line : lines(proc.resolve("diskstats"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 14 || !isWholeDisk(f[2])) {
                continue;
            }
            disks.add(new DiskIo(f[2], Long.parseLong(f[3]), Long.parseLong(f[5]) * SECTOR_BYTES, Long.parseLong(f[7]),
                    Long.parseLong(f[9]) * SECTOR_BYTES, Long.parseLong(f[12])));
        }
        return disks;
    }

    private boolean isWholeDisk(String device) {
        return !device.startsWith("loop") && !device.startsWith("ram") && !device.startsWith("zram")
                && Files.exists(sys.resolve("block").resolve(device));
    }

    List<InterfaceTraffic> interfaces() {
        List<InterfaceTraffic> interfaces = new ArrayList<>();
        for (String line : lines(proc.resolve("net/dev"))) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (name.equals("lo") || f.length < 12 || isDown(name)) {
                continue;
            }
            interfaces.add(new InterfaceTraffic(name, Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    Long.parseLong(f[3]), Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10])));
        }
        return interfaces;
    }

    /** Down interfaces move no traffic; each would only add seven series of zeros. */
    private boolean isDown(String name) {
        try {
            return Files.readString(sys.resolve("class/net").resolve(name).resolve("operstate")).trim().equals("down");
        } catch (IOException e) {
            return false;
        }
    }

    /** Every process that could be read; one that exits while being read is left out. */
    List<ProcessStat> processes() {
        List<ProcessStat> processes = new ArrayList<>(512);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, ProcFs::isPid)) {
            for (Path entry : entries) {
                ProcessStat stat = process(entry);
                if (stat != null) {
                    processes.add(stat);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the processes in " + proc, e);
        }
        return processes;
    }

    private static boolean isPid(Path entry) {
        String name = entry.getFileName().toString();
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return !name.isEmpty();
    }

    private static ProcessStat process(Path directory) {
        String stat;
        try {
            stat = Files.readString(directory.resolve("stat"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // it exited since the directory was listed
        }
        // The name is in parentheses and may itself hold spaces and parentheses: split after the last ')'.
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        String[] f = stat.substring(close + 2).split(" ");
        // f[0] is field 3 (state) of proc(5): utime 14, stime 15, num_threads 20, rss 24.
        if (f.length < 22) {
            return null;
        }
        return new ProcessStat(Integer.parseInt(directory.getFileName().toString()), stat.substring(open + 1, close),
                Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[17]), Long.parseLong(f[21]));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
