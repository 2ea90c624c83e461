package io.drover.persistence.attempt;

/**
 * Where the full log of an attempt is: a file on the disk of the instance that ran it.
 *
 * @param owner the instance that ran the attempt (an id in the instance table)
 * @param node  that instance's node, when the instance table still has it; null otherwise
 * @param path  the file on that node
 */
public record LogLocation(long attemptId, String owner, String node, String path) {
}
