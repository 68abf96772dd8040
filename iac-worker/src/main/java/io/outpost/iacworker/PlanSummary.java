package io.outpost.iacworker;


/** What a plan would do: resources to add, change and remove. */
public record PlanSummary(int add, int change, int remove) {
    public static final PlanSummary NONE = new PlanSummary(0, 0, 0);

    public boolean hasChanges() {
        return add + change + remove > 0;
    }

    @Override
    public String toString() {
        return "+" + add + " ~" + change + " -" + remove;
    }
}
