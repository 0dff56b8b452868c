package io.devops.collector.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/**
 * A write-ahead buffer of batches on disk: every batch is appended (and synced) before it is sent,
 * and stays until Kafka acknowledges it, so a broker outage or an agent restart loses nothing and
 * resends only what was never acknowledged. Batches live in segment files of numbered lines
 * ({@code sequence TAB written-at-millis TAB payload}); the last acknowledged sequence is kept in a
 * file of its own, replaced atomically. Bounded by size and by age: beyond either, the oldest
 * batches are dropped and counted. Not thread-safe on its own: its methods are synchronized.
 */
public final class DiskBuffer implements AutoCloseable {
    private static final String ACKED_FILE = "acked";
    private static final String EPOCH_FILE = "epoch";
    private static final String SEGMENT_PREFIX = "segment-";
    private static final String SEGMENT_SUFFIX = ".log";

    private final Path directory;
    private final long maxBytes;
    private final long maxAgeMillis;
    private final long segmentBytes;
    private final Deque<Segment> segments = new ArrayDeque<>();
    /** The batches not yet acknowledged, oldest first. */
    private final Deque<Index> pending = new ArrayDeque<>();

    private final String epoch;
    private long acked;
    private long nextSequence;
    private long totalBytes;
    private long dropped;
    private FileChannel active;

    /** One entry handed to the sender. */
    public record Entry(long sequence, long writtenAtMillis, String payload) {
    }

    private record Index(long sequence, Segment segment, long offset, int length, long writtenAtMillis) {
    }

    private static final class Segment {
        final Path file;
        final long firstSequence;
        long lastSequence;
        long bytes;

        Segment(Path file, long firstSequence) {
            this.file = file;
            this.firstSequence = firstSequence;
            this.lastSequence = firstSequence - 1;
        }
    }

    public DiskBuffer(Path directory, long maxBytes, Duration maxAge, long segmentBytes) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.maxAgeMillis = maxAge.toMillis();
        this.segmentBytes = segmentBytes;
        try {
            Files.createDirectories(directory);
            Path epochFile = directory.resolve(EPOCH_FILE);
            if (!Files.exists(epochFile)) {
                Files.writeString(epochFile, java.util.UUID.randomUUID().toString());
            }
            epoch = Files.readString(epochFile).trim();
            Path ackedFile = directory.resolve(ACKED_FILE);
            acked = Files.exists(ackedFile) ? Long.parseLong(Files.readString(ackedFile).trim()) : 0;
            load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the buffer in " + directory, e);
        }
    }

    /** Appends a batch, made for its sequence number, and syncs it to disk; returns the sequence number. */
    public synchronized long append(LongFunction<String> payloadForSequence) {
        long sequence = nextSequence++;
        String payload = payloadForSequence.apply(sequence);
        long now = System.currentTimeMillis();
        byte[] line = (sequence + "\t" + now + "\t" + payload + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Segment segment = segments.peekLast();
            if (segment == null || active == null || segment.bytes >= segmentBytes) {
                segment = openSegment(sequence);
            }
            long offset = segment.bytes;
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                active.write(buffer);
            }
            active.force(false);
            segment.bytes += line.length;
            segment.lastSequence = sequence;
            totalBytes += line.length;
            pending.add(new Index(sequence, segment, offset, line.length, now));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the buffer in " + directory, e);
        }
        enforceSize();
        return sequence;
    }

    /** Up to {@code max} unacknowledged batches, oldest first; batches past the age limit are dropped first. */
    public synchronized List<Entry> pending(int max) {
        dropExpired(System.currentTimeMillis());
        List<Entry> entries = new ArrayList<>(Math.min(max, pending.size()));
        for (Index index : pending) {
            if (entries.size() >= max) {
                break;
            }
            entries.add(new Entry(index.sequence(), index.writtenAtMillis(), read(index)));
        }
        return entries;
    }

    /** Kafka acknowledged every batch up to {@code sequence}: forget them. */
    public synchronized void acknowledge(long sequence) {
        if (sequence <= acked) {
            return;
        }
        while (!pending.isEmpty() && pending.peekFirst().sequence() <= sequence) {
            pending.pollFirst();
        }
        acked = sequence;
        persistAcked();
        deleteAckedSegments();
    }

    /**
     * This buffer's identity, made when its directory was first used: with a sequence number it
     * names a batch uniquely even if the directory is wiped and sequences start over.
     */
    public String epoch() {
        return epoch;
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    public synchronized long sizeBytes() {
        return totalBytes;
    }

    /** Batches dropped because of the size or age limit since this buffer was opened. */
    public synchronized long droppedCount() {
        return dropped;
    }

    public synchronized long lastAcknowledged() {
        return acked;
    }

    @Override
    public synchronized void close() {
        try {
            if (active != null) {
                active.close();
                active = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void load() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(p -> p.getFileName().toString().startsWith(SEGMENT_PREFIX)).sorted().toList();
        }
        nextSequence = acked + 1;
        for (Path file : files) {
            String name = file.getFileName().toString();
            Segment segment = new Segment(file, Long.parseLong(name.substring(SEGMENT_PREFIX.length(),
                    name.length() - SEGMENT_SUFFIX.length())));
            scan(segment);
            if (segment.lastSequence < segment.firstSequence || segment.lastSequence <= acked) {
                Files.deleteIfExists(file);
                continue;
            }
            segments.add(segment);
            totalBytes += segment.bytes;
            nextSequence = Math.max(nextSequence, segment.lastSequence + 1);
        }
    }

    /** Indexes a segment's complete lines; a torn last line (a crash mid-write) is cut off. */
    private void scan(Segment segment) throws IOException {
        byte[] content = Files.readAllBytes(segment.file);
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] != '\n') {
                continue;
            }
            String line = new String(content, start, i - start, StandardCharsets.UTF_8);
            int firstTab = line.indexOf('\t');
            int secondTab = line.indexOf('\t', firstTab + 1);
            long sequence = Long.parseLong(line.substring(0, firstTab));
            long writtenAt = Long.parseLong(line.substring(firstTab + 1, secondTab));
            if (sequence > acked) {
                pending.add(new Index(sequence, segment, start, i + 1 - start, writtenAt));
            }
            segment.lastSequence = sequence;
            start = i + 1;
        }
        if (start < content.length) {
            try (FileChannel channel = FileChannel.open(segment.file, StandardOpenOption.WRITE)) {
                channel.truncate(start);
            }
        }
        segment.bytes = start;
    }

    private Segment openSegment(long firstSequence) throws IOException {
        if (active != null) {
            active.close();
        }
        Path file = directory.resolve(String.format("%s%020d%s", SEGMENT_PREFIX, firstSequence, SEGMENT_SUFFIX));
        active = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        Segment segment = new Segment(file, firstSequence);
        segments.add(segment);
        return segment;
    }

    private String read(Index index) {
        try (FileChannel channel = FileChannel.open(index.segment().file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(index.length());
            while (buffer.hasRemaining() && channel.read(buffer, index.offset() + buffer.position()) >= 0) {
                // reads until the line is complete
            }
            String line = new String(buffer.array(), 0, buffer.position() - 1, StandardCharsets.UTF_8);
            return line.substring(line.indexOf('\t', line.indexOf('\t') + 1) + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the buffer in " + directory, e);
        }
    }

    private void enforceSize() {
        while (totalBytes > maxBytes && segments.size() > 1) {
            dropOldestSegment();
        }
    }

    private void dropExpired(long now) {
        long limit = now - maxAgeMillis;
        long before = acked;
        while (!pending.isEmpty() && pending.peekFirst().writtenAtMillis() < limit) {
            Index expired = pending.pollFirst();
            dropped++;
            acked = expired.sequence();
        }
        if (acked != before) {
            persistAcked();
            deleteAckedSegments();
        }
    }

    private void dropOldestSegment() {
        Segment oldest = segments.peekFirst();
        while (!pending.isEmpty() && pending.peekFirst().segment() == oldest) {
            pending.pollFirst();
            dropped++;
        }
        acked = Math.max(acked, oldest.lastSequence);
        persistAcked();
        deleteAckedSegments();
    }

    private void deleteAckedSegments() {
        while (segments.size() > 1 && segments.peekFirst().lastSequence <= acked) {
            Segment gone = segments.pollFirst();
            totalBytes -= gone.bytes;
            try {
                Files.deleteIfExists(gone.file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + gone.file, e);
            }
        }
    }

    private void persistAcked() {
        Path target = directory.resolve(ACKED_FILE);
        Path temporary = directory.resolve(ACKED_FILE + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(Long.toString(acked).getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the acknowledged position in " + directory, e);
        }
    }
}
