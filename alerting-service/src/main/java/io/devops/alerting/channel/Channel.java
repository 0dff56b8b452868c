package io.devops.alerting.channel;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of the channel table, as {@link ChannelTable} reads and writes it. The settings stay the
 * JSON text of their jsonb column; the secrets are sealed text that only {@link SecretBox} opens.
 */
public class Channel {
    public UUID id;
    public String name;
    public String type;
    public String settings;
    public String secrets;
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;
}
