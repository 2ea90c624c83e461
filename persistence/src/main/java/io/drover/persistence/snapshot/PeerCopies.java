package io.drover.persistence.snapshot;

import io.drover.persistence.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a node can fetch a base from: the READY copies of other nodes joined with the instance
 * table, so that only nodes with a live worker process count (and their address is known).
 */
public final class PeerCopies {
    private final Database db;

    public PeerCopies(Database db) {
        this.db = db;
    }

    /**
     * READY copies of the base on other nodes that have a live worker instance to fetch from (seen
     * within {@code goneAfter}, not stopped) and a content hash to verify against; one per node.
     */
    public List<PeerCopy> of(String hash, String node, Duration goneAfter) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT DISTINCT ON (c.node) c.node, i.address, c.content_hash, c.size_bytes
                      FROM base_copy c JOIN instance i ON i.node = c.node
                     WHERE c.hash = ? AND c.state = 'READY' AND c.node <> ? AND c.content_hash IS NOT NULL
                       AND i.stopped_at IS NULL AND i.seen_at > now() - make_interval(secs => ?::double precision)
                       AND ',' || i.roles || ',' LIKE '%,worker,%'
                     ORDER BY c.node, i.seen_at DESC
                    """)) {
                ps.setString(1, hash);
                ps.setString(2, node);
                ps.setDouble(3, goneAfter.toMillis() / 1000.0);
                List<PeerCopy> peers = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        peers.add(new PeerCopy(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                    }
                }
                return peers;
            }
        });
    }

}
