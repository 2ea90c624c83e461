package io.drover.persistence.cost;

import java.math.BigDecimal;

/** What all attempts of one subtask cost together. */
public record SubtaskCost(int index, String state, int attempts, BigDecimal costUsd) {
}
