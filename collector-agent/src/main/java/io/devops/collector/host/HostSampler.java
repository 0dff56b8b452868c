package io.devops.collector.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.sun.jna.platform.linux.LibC;

import io.devops.common.events.MetricBatch.Sample;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.CentralProcessor.TickType;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.VirtualMemory;
import oshi.software.os.OSFileStore;
import oshi.software.os.OperatingSystem;
import oshi.software.os.linux.LinuxOperatingSystem;

/**
 * Reads the host: CPU, memory, load and the list of file systems with OSHI; disks, interfaces and
 * processes from procfs directly ({@link ProcFs}), and file system usage with one {@code statvfs}
 * per file system. CPU figures are over the time since the previous reading (the first reading has
 * none and reports no CPU usage); counters (network, disk I/O) are cumulative, as Prometheus
 * counters are. Names keep the old collector's (SEED-API.md) and add new ones in the
 * same style, units in the name. Top processes are ranked by CPU and by memory, a few of each, so
 * the process view never grows with the number of processes.
 */
public final class HostSampler {
    /** File systems that hold no data a user cares about. */
    private static final List<String> PSEUDO_FILESYSTEMS = List.of("tmpfs", "devtmpfs", "overlay", "squashfs", "proc",
            "sysfs", "cgroup", "cgroup2", "nsfs", "autofs", "devpts", "mqueue", "tracefs", "debugfs", "securityfs",
            "pstore", "bpf", "fusectl", "configfs", "hugetlbfs", "ramfs", "binfmt_misc", "rpc_pipefs");

    /** Mounts change rarely; listing them through OSHI costs more than reading them all. */
    private static final long FILE_SYSTEM_LIST_MILLIS = TimeUnit.MINUTES.toMillis(5);

    private final SystemInfo system = new SystemInfo();
    private final HardwareAbstractionLayer hardware = system.getHardware();
    private final OperatingSystem os = system.getOperatingSystem();
    private final CentralProcessor processor = hardware.getProcessor();
    private final ProcFs procFs;
    private final int topProcesses;
    private final long ticksPerSecond = LinuxOperatingSystem.getHz();
    private final long pageSize = LinuxOperatingSystem.getPageSize();

    private long[] previousTicks;
    private long[][] previousCoreTicks;
    private Map<Integer, ProcessTime> previousProcesses = Map.of();
    private long previousReadingMillis;
    private List<OSFileStore> fileSystems = List.of();
    private long fileSystemsListedMillis;

    private record ProcessTime(String name, long cpuTicks) {
    }

    public HostSampler(int topProcesses, Path proc, Path sys) {
        this.topProcesses = topProcesses;
        this.procFs = new ProcFs(proc, sys);
    }

    public OperatingSystem os() {
        return os;
    }

    public HardwareAbstractionLayer hardware() {
        return hardware;
    }

    /** One reading of the host. */
    public synchronized List<Sample> sample() {
        List<Sample> samples = new ArrayList<>(256);
        long now = System.currentTimeMillis();
        cpu(samples);
        memory(samples);
        fileSystems(samples, now);
        disks(samples);
        network(samples);
        samples.add(sample("system_uptime_seconds", os.getSystemUptime()));
        processes(samples, now);
        previousReadingMillis = now;
        return samples;
    }

    private void cpu(List<Sample> samples) {
        long[] ticks = processor.getSystemCpuLoadTicks();
        long[][] coreTicks = processor.getProcessorCpuLoadTicks();
        if (previousTicks != null) {
            long total = 0;
            long[] delta = new long[ticks.length];
            for (int i = 0; i < ticks.length; i++) {
                delta[i] = Math.max(0, ticks[i] - previousTicks[i]);
                total += delta[i];
            }
            if (total > 0) {
                double idle = delta[TickType.IDLE.getIndex()] + delta[TickType.IOWAIT.getIndex()];
                samples.add(sample("system_cpu_usage_percent", percent(total - idle, total)));
                samples.add(sample("system_cpu_user_percent",
                        percent(delta[TickType.USER.getIndex()] + delta[TickType.NICE.getIndex()], total)));
                samples.add(sample("system_cpu_system_percent", percent(delta[TickType.SYSTEM.getIndex()]
                        + delta[TickType.IRQ.getIndex()] + delta[TickType.SOFTIRQ.getIndex()], total)));
                samples.add(sample("system_cpu_iowait_percent", percent(delta[TickType.IOWAIT.getIndex()], total)));
                samples.add(sample("system_cpu_steal_percent", percent(delta[TickType.STEAL.getIndex()], total)));
            }
            double[] perCore = processor.getProcessorCpuLoadBetweenTicks(previousCoreTicks);
            for (int core = 0; core < perCore.length; core++) {
                samples.add(sample("system_cpu_core_usage_percent", round(perCore[core] * 100), "core", Integer.toString(core)));
            }
        }
        previousTicks = ticks;
        previousCoreTicks = coreTicks;
        double[] load = processor.getSystemLoadAverage(3);
        String[] names = { "system_load_1m", "system_load_5m", "system_load_15m" };
        for (int i = 0; i < 3; i++) {
            if (load[i] >= 0) {
                samples.add(sample(names[i], round(load[i])));
            }
        }
        samples.add(sample("system_cpu_cores", processor.getLogicalProcessorCount()));
    }

    private void memory(List<Sample> samples) {
        GlobalMemory memory = hardware.getMemory();
        long total = memory.getTotal();
        long available = memory.getAvailable();
        samples.add(sample("system_memory_total_bytes", total));
        samples.add(sample("system_memory_available_bytes", available));
        samples.add(sample("system_memory_used_bytes", total - available));
        samples.add(sample("system_memory_usage_percent", percent(total - available, total)));
        VirtualMemory virtual = memory.getVirtualMemory();
        samples.add(sample("system_swap_total_bytes", virtual.getSwapTotal()));
        samples.add(sample("system_swap_used_bytes", virtual.getSwapUsed()));
    }

    private void fileSystems(List<Sample> samples, long now) {
        if (now - fileSystemsListedMillis >= FILE_SYSTEM_LIST_MILLIS) {
            fileSystems = realFileSystems();
            fileSystemsListedMillis = now;
        }
        LibC.Statvfs stat = new LibC.Statvfs();
        for (OSFileStore store : fileSystems) {
            if (LibC.INSTANCE.statvfs(store.getMount(), stat) != 0) {
                continue; // unmounted since it was listed
            }
            long unit = stat.f_frsize.longValue();
            long total = stat.f_blocks.longValue() * unit;
            long free = stat.f_bavail.longValue() * unit;
            Map<String, String> labels = Map.of("mount", store.getMount(), "device", store.getVolume(), "fstype",
                    store.getType());
            samples.add(new Sample("system_disk_total_bytes", total, labels));
            samples.add(new Sample("system_disk_free_bytes", free, labels));
            samples.add(new Sample("system_disk_used_bytes", total - stat.f_bfree.longValue() * unit, labels));
            samples.add(new Sample("system_disk_usage_percent", percent(total - free, total), labels));
            if (stat.f_files.longValue() > 0) {
                samples.add(new Sample("system_disk_inodes_total", stat.f_files.longValue(), labels));
                samples.add(new Sample("system_disk_inodes_free", stat.f_ffree.longValue(), labels));
            }
        }
    }

    /** The file systems that hold data: local, not pseudo, not a bind of one already listed. */
    public List<OSFileStore> realFileSystems() {
        Map<String, OSFileStore> byVolume = new HashMap<>();
        for (OSFileStore store : os.getFileSystem().getFileStores(true)) {
            if (PSEUDO_FILESYSTEMS.contains(store.getType()) || store.getTotalSpace() <= 0) {
                continue;
            }
            byVolume.merge(store.getVolume(), store,
                    (a, b) -> a.getMount().length() <= b.getMount().length() ? a : b);
        }
        return byVolume.values().stream().sorted(Comparator.comparing(OSFileStore::getMount)).toList();
    }

    private void disks(List<Sample> samples) {
        for (ProcFs.DiskIo disk : procFs.disks()) {
            Map<String, String> labels = Map.of("device", disk.device());
            samples.add(new Sample("system_disk_io_read_bytes", disk.readBytes(), labels));
            samples.add(new Sample("system_disk_io_write_bytes", disk.writeBytes(), labels));
            samples.add(new Sample("system_disk_io_reads", disk.reads(), labels));
            samples.add(new Sample("system_disk_io_writes", disk.writes(), labels));
            samples.add(new Sample("system_disk_io_time_ms", disk.ioTimeMillis(), labels));
        }
    }

    private void network(List<Sample> samples) {
        for (ProcFs.InterfaceTraffic nic : procFs.interfaces()) {
            Map<String, String> labels = Map.of("interface", nic.name());
            samples.add(new Sample("system_network_bytes_sent", nic.bytesSent(), labels));
            samples.add(new Sample("system_network_bytes_recv", nic.bytesRecv(), labels));
            samples.add(new Sample("system_network_packets_sent", nic.packetsSent(), labels));
            samples.add(new Sample("system_network_packets_recv", nic.packetsRecv(), labels));
            samples.add(new Sample("system_network_errors_in", nic.errorsIn(), labels));
            samples.add(new Sample("system_network_errors_out", nic.errorsOut(), labels));
            samples.add(new Sample("system_network_drops_in", nic.dropsIn(), labels));
        }
    }

    private void processes(List<Sample> samples, long now) {
        List<ProcFs.ProcessStat> processes = procFs.processes();
        long total = hardware.getMemory().getTotal();
        int cores = processor.getLogicalProcessorCount();
        Map<Integer, ProcessTime> current = new HashMap<>(processes.size() * 2);
        long threads = 0;
        for (ProcFs.ProcessStat process : processes) {
            current.put(process.pid(), new ProcessTime(process.name(), process.cpuTicks()));
            threads += process.threads();
        }
        samples.add(sample("system_processes_total", processes.size()));
        samples.add(sample("system_threads_total", threads));
        long elapsed = now - previousReadingMillis;
        if (!previousProcesses.isEmpty() && elapsed > 0) {
            List<Sample> byCpu = new ArrayList<>();
            for (ProcFs.ProcessStat process : processes) {
                ProcessTime before = previousProcesses.get(process.pid());
                if (before != null && before.name().equals(process.name())) {
                    double usedMillis = Math.max(0, process.cpuTicks() - before.cpuTicks()) * 1000.0 / ticksPerSecond;
                    // Of the whole machine: 100 means every core busy with this process.
                    byCpu.add(sample("process_cpu_usage_percent", Math.min(100, round(usedMillis * 100 / elapsed / cores)),
                            "process_name", process.name()));
                }
            }
            byCpu.sort(Comparator.comparingDouble(Sample::value).reversed());
            for (int rank = 0; rank < Math.min(topProcesses, byCpu.size()); rank++) {
                Sample ranked = byCpu.get(rank);
                samples.add(sample(ranked.name(), ranked.value(), "process_name", ranked.labels().get("process_name"),
                        "rank", Integer.toString(rank + 1)));
            }
        }
        List<ProcFs.ProcessStat> byMemory = new ArrayList<>(processes);
        byMemory.sort(Comparator.comparingLong(ProcFs.ProcessStat::residentPages).reversed());
        for (int rank = 0; rank < Math.min(topProcesses, byMemory.size()); rank++) {
            ProcFs.ProcessStat process = byMemory.get(rank);
            long resident = process.residentPages() * pageSize;
            Map<String, String> labels = Map.of("process_name", process.name(), "rank", Integer.toString(rank + 1));
            samples.add(new Sample("process_memory_rss_bytes", resident, labels));
            samples.add(new Sample("process_memory_usage_percent", percent(resident, total), labels));
        }
        previousProcesses = current;
    }

    private static Sample sample(String name, double value) {
        return new Sample(name, value, Map.of());
    }

    private static Sample sample(String name, double value, String... labels) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return new Sample(name, value, Map.copyOf(map));
    }

    private static double percent(double part, double whole) {
        return whole <= 0 ? 0 : round(part * 100 / whole);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
