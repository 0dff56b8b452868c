package io.devops.alerting.channel;

import java.util.Set;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * What refers to channels by name (the routing does): a channel it names is neither renamed nor
 * deleted. Implemented where the references live, so that channels know nothing of routing.
 */
public interface ChannelReferences {

    /** The names of the channels referred to now, read in the transaction of {@code client}. */
    Uni<Set<String>> channelsInUse(SqlClient client);
}
