package io.devops.collector.host;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.devops.common.events.MetricBatch.Sample;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.CentralProcessor.TickType;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.hardware.VirtualMemory;
import oshi.software.os.OSFileStore;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Reads the host with OSHI. CPU figures are over the time since the previous reading (the first
 * reading has none and reports no CPU usage); counters (network, disk I/O) are cumulative, as
 * Prometheus counters are. Names keep the old collector's (SEED-API.md) and add new ones in the
 * same style, units in the name. Top processes are ranked by CPU and by memory, a few of each, so
 * the process view never grows with the number of processes.
 */
public final class HostSampler {
    /** File systems that hold no data a user cares about. */
    private static final List<String> PSEUDO_FILESYSTEMS = List.of("tmpfs", "devtmpfs", "overlay", "squashfs", "proc",
            "sysfs", "cgroup", "cgroup2", "nsfs", "autofs", "devpts", "mqueue", "tracefs", "debugfs", "securityfs",
            "pstore", "bpf", "fusectl", "configfs", "hugetlbfs", "ramfs", "binfmt_misc", "rpc_pipefs");

    private final SystemInfo system = new SystemInfo();
    private final HardwareAbstractionLayer hardware = system.getHardware();
    private final OperatingSystem os = system.getOperatingSystem();
    private final CentralProcessor processor = hardware.getProcessor();
    private final int topProcesses;

    private long[] previousTicks;
    private long[][] previousCoreTicks;
    private Map<Integer, ProcessTime> previousProcesses = Map.of();
    private long previousReadingMillis;

    private record ProcessTime(String name, long cpuMillis) {
    }

    public HostSampler(int topProcesses) {
        this.topProcesses = topProcesses;
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
        fileSystems(samples);
        disks(samples);
        network(samples);
        samples.add(sample("system_uptime_seconds", os.getSystemUptime()));
        samples.add(sample("system_processes_total", os.getProcessCount()));
        samples.add(sample("system_threads_total", os.getThreadCount()));
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

    private void fileSystems(List<Sample> samples) {
        for (OSFileStore store : realFileSystems()) {
            long total = store.getTotalSpace();
            long free = store.getUsableSpace();
            Map<String, String> labels = Map.of("mount", store.getMount(), "device", store.getVolume(), "fstype",
                    store.getType());
            samples.add(new Sample("system_disk_total_bytes", total, labels));
            samples.add(new Sample("system_disk_free_bytes", free, labels));
            samples.add(new Sample("system_disk_used_bytes", total - store.getFreeSpace(), labels));
            samples.add(new Sample("system_disk_usage_percent", percent(total - free, total), labels));
            if (store.getTotalInodes() > 0) {
                samples.add(new Sample("system_disk_inodes_total", store.getTotalInodes(), labels));
                samples.add(new Sample("system_disk_inodes_free", store.getFreeInodes(), labels));
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
        for (HWDiskStore disk : hardware.getDiskStores()) {
            disk.updateAttributes();
            Map<String, String> labels = Map.of("device", disk.getName());
            samples.add(new Sample("system_disk_io_read_bytes", disk.getReadBytes(), labels));
            samples.add(new Sample("system_disk_io_write_bytes", disk.getWriteBytes(), labels));
            samples.add(new Sample("system_disk_io_reads", disk.getReads(), labels));
            samples.add(new Sample("system_disk_io_writes", disk.getWrites(), labels));
            samples.add(new Sample("system_disk_io_time_ms", disk.getTransferTime(), labels));
        }
    }

    private void network(List<Sample> samples) {
        for (NetworkIF nic : hardware.getNetworkIFs(false)) {
            nic.updateAttributes();
            Map<String, String> labels = Map.of("interface", nic.getName());
            samples.add(new Sample("system_network_bytes_sent", nic.getBytesSent(), labels));
            samples.add(new Sample("system_network_bytes_recv", nic.getBytesRecv(), labels));
            samples.add(new Sample("system_network_packets_sent", nic.getPacketsSent(), labels));
            samples.add(new Sample("system_network_packets_recv", nic.getPacketsRecv(), labels));
            samples.add(new Sample("system_network_errors_in", nic.getInErrors(), labels));
            samples.add(new Sample("system_network_errors_out", nic.getOutErrors(), labels));
            samples.add(new Sample("system_network_drops_in", nic.getInDrops(), labels));
        }
    }

    private void processes(List<Sample> samples, long now) {
        List<OSProcess> processes = os.getProcesses();
        long total = hardware.getMemory().getTotal();
        int cores = processor.getLogicalProcessorCount();
        Map<Integer, ProcessTime> current = new HashMap<>(processes.size() * 2);
        List<double[]> cpuByProcess = new ArrayList<>();
        List<OSProcess> ordered = new ArrayList<>(processes);
        for (OSProcess process : processes) {
            long cpu = process.getKernelTime() + process.getUserTime();
            current.put(process.getProcessID(), new ProcessTime(process.getName(), cpu));
        }
        long elapsed = now - previousReadingMillis;
        if (!previousProcesses.isEmpty() && elapsed > 0) {
            for (int i = 0; i < ordered.size(); i++) {
                OSProcess process = ordered.get(i);
                ProcessTime before = previousProcesses.get(process.getProcessID());
                if (before != null && before.name().equals(process.getName())) {
                    long used = current.get(process.getProcessID()).cpuMillis() - before.cpuMillis();
                    // Of the whole machine: 100 means every core busy with this process.
                    cpuByProcess.add(new double[] { i, Math.max(0, used) * 100.0 / elapsed / cores });
                }
            }
            cpuByProcess.sort((a, b) -> Double.compare(b[1], a[1]));
            for (int rank = 0; rank < Math.min(topProcesses, cpuByProcess.size()); rank++) {
                OSProcess process = ordered.get((int) cpuByProcess.get(rank)[0]);
                samples.add(sample("process_cpu_usage_percent", round(cpuByProcess.get(rank)[1]), "process_name",
                        process.getName(), "rank", Integer.toString(rank + 1)));
            }
        }
        ordered.sort(Comparator.comparingLong(OSProcess::getResidentSetSize).reversed());
        for (int rank = 0; rank < Math.min(topProcesses, ordered.size()); rank++) {
            OSProcess process = ordered.get(rank);
            Map<String, String> labels = Map.of("process_name", process.getName(), "rank", Integer.toString(rank + 1));
            samples.add(new Sample("process_memory_rss_bytes", process.getResidentSetSize(), labels));
            samples.add(new Sample("process_memory_usage_percent", percent(process.getResidentSetSize(), total), labels));
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
