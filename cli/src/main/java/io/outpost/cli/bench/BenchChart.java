package io.outpost.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An SVG bar chart of convergence times: per scenario, the physical limit, Outpost and the seed design. */
final class BenchChart {
    private static final int ROW = 26;
    private static final int LABEL = 120;
    private static final int WIDTH = 760;

    private BenchChart() {
    }

    static String svg(List<ConvergenceScenario.Result> results) {
        Map<String, List<double[]>> bars = new LinkedHashMap<>();
        Map<String, List<String>> names = new LinkedHashMap<>();
        double max = 0;
        for (ConvergenceScenario.Result result : results) {
            List<double[]> scenario = bars.computeIfAbsent(result.scenario(), s -> new ArrayList<>());
            List<String> labels = names.computeIfAbsent(result.scenario(), s -> new ArrayList<>());
            if (scenario.isEmpty()) {
                scenario.add(new double[] {result.limitSeconds(), 0});
                labels.add("limit 2L + N/B");
            }
            scenario.add(new double[] {result.seconds(), result.mode().ordinal() + 1});
            labels.add(switch (result.mode()) {
                case OUTPOST -> "Outpost, pull";
                case PUSH -> "Outpost, push";
                case SEED -> "seed design";
            });
            max = Math.max(max, result.seconds());
        }
        String[] colours = {"#9aa5b1", "#2f855a", "#3182ce", "#c05621"};
        StringBuilder svg = new StringBuilder();
        int rows = bars.values().stream().mapToInt(List::size).sum() + bars.size();
        int height = 50 + rows * ROW;
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH, height));
        svg.append("<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">Time for one update to reach the outpost (seconds)</text>\n");
        int y = 40;
        double scale = (WIDTH - LABEL - 200) / Math.max(max, 1e-9);
        for (Map.Entry<String, List<double[]>> scenario : bars.entrySet()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>%n", y + 14, scenario.getKey()));
            List<String> labels = names.get(scenario.getKey());
            for (int i = 0; i < scenario.getValue().size(); i++) {
                double[] bar = scenario.getValue().get(i);
                double width = Math.max(1, bar[0] * scale);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", LABEL, y + 2, width, ROW - 6,
                        colours[(int) bar[1]]));
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%.2f s  %s</text>%n", LABEL + width + 6, y + 15, bar[0], labels.get(i)));
                y += ROW;
            }
            y += ROW;
        }
        return svg.append("</svg>\n").toString();
    }
}
