package io.drover.persistence;

import java.util.List;
import java.util.Optional;

/** One page of a keyset-paged listing; {@code nextCursor} is empty on the last page. */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
}
