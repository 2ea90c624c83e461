package io.drover.persistence.cost;

import java.math.BigDecimal;

/**
 * What the jobs carrying one value of a label were charged in a time window.
 *
 * @param value the label's value; null for the jobs without the label
 */
public record LabelCost(String value, long jobs, BigDecimal ledgerUsd, long succeededSubtasks) {
}
