package io.drover.persistence;

import java.sql.SQLException;

/** A database failure the caller cannot fix by changing its input; the work is left as it was. */
public class PersistenceException extends RuntimeException {
    public PersistenceException(SQLException cause) {
        super(cause.getMessage(), cause);
    }
}
