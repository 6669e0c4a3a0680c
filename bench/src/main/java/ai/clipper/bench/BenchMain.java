package ai.clipper.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The bench jar's commands, used by {@code bench/run}, {@code bench/compare} and
 * {@code bench/flood}:
 *
 * <pre>
 * echo  --port N                                      the WebFlux echo ceiling, until killed
 * load  (--url http://h:p/app/predict | --grpc h:p    one point; appends a line to --results
 *       | --v2-url http://h:p/v2/models/app/infer     the Open Inference Protocol over REST
 *       | --v2-grpc h:p --model app)                   and its gRPC ModelInfer
 *       (--concurrency N | --rate R [--max-outstanding M])
 *       [--input fresh|same] [--width 10 (doubles per input)]
 *       [--warmup 5s] [--measure 10s] [--drain 5s] [--timeout 10s]
 *       [--late-ms 25]   count the answers slower than this (the SLO + 5 ms)
 *       --scenario key --label text --results file.tsv
 * table --results file.tsv [--high-concurrency 64] [--sleep-concurrency 32] [--slo-ms 20]
 *       [--reject-apps a,b]   the run's table and targets; points keyed group:app go to
 *                             the overload benchmark's tables ({@link OverloadTable})
 * goodput --results file.tsv --scenario key   the last such point's real answers/s, rounded
 * compare --results file.tsv --base label --candidate label [--scenario cached]
 *       [--throughput-concurrency 32] [--min-throughput-ratio 1.5] [--max-p99-ratio 0.5]
 * flood-table --results file.tsv --slo-ms app=20,app=100   bench/flood's table and targets
 * </pre>
 */
public final class BenchMain {

  private BenchMain() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      usage();
    }
    Args args = new Args(argv, 1);
    switch (argv[0]) {
      case "echo" -> echo(args);
      case "load" -> load(args);
      case "table" -> table(args);
      case "goodput" -> goodput(args);
      case "compare" -> compare(args);
      case "flood-table" -> floodTable(args);
      default -> usage();
    }
  }

  private static void echo(Args args) {
    try (EchoServer server = EchoServer.start(args.getInt("port", 0))) {
      System.out.println("echo listening on 127.0.0.1:" + server.port());
      server.awaitClose();
    }
  }

  private static void load(Args args) throws Exception {
    Inputs inputs = Inputs.parse(args.get("input", "fresh"),
        args.getInt("width", Inputs.WIDTH));
    Duration timeout = args.getDuration("timeout", "10s");
    boolean open = args.has("rate");
    int maxOutstanding = args.getInt("max-outstanding", 256);
    int inFlight = open ? maxOutstanding : args.getInt("concurrency", 1);
    LoadGenerator.Periods periods = new LoadGenerator.Periods(args.getDuration("warmup", "5s"),
        args.getDuration("measure", "10s"), args.getDuration("drain", "5s"));
    String scenario = args.get("scenario");
    String label = args.get("label", scenario);
    Result result;
    try (Target target = target(args, inputs, inFlight, timeout)) {
      LoadGenerator generator = new LoadGenerator(target, periods)
          .countingLateAfter(Duration.ofNanos(Math.round(args.getDouble("late-ms", 0) * 1e6)));
      result = open
          ? generator.open(scenario, label, args.getDouble("rate", 0), maxOutstanding)
          : generator.closed(scenario, label, inFlight);
    }
    System.out.println(String.format(Locale.ROOT,
        "  %-42s %-14s %9.0f req/s  p50 %7.3f  p99 %8.3f  p99.9 %8.3f ms  default %5.1f%%"
            + "  503s %d  errors %d", label, result.mode(), result.throughput(), result.p50(),
        result.p99(), result.p999(), result.defaultPercent(), result.rejected(),
        result.errorsBeyondRejections()));
    if (args.has("results")) {
      Files.writeString(Path.of(args.get("results")), result.toLine() + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  /** The one target of {@code --url}, {@code --grpc}, {@code --v2-url} or {@code --v2-grpc}. */
  private static Target target(Args args, Inputs inputs, int inFlight, Duration timeout) {
    if (args.has("grpc")) {
      return GrpcTarget.connect(args.get("grpc"), inputs, timeout);
    }
    if (args.has("v2-grpc")) {
      return V2GrpcTarget.connect(args.get("v2-grpc"), args.get("model"), inputs, timeout);
    }
    if (args.has("v2-url")) {
      return new HttpTarget(URI.create(args.get("v2-url")), inFlight, inputs::v2Json, timeout);
    }
    return new HttpTarget(URI.create(args.get("url")), inFlight, inputs::json, timeout);
  }

  private static void table(Args args) throws IOException {
    List<Result> results = results(args);
    // The original rows are keyed by a bare scenario; the overload benchmark's by group:app[:load].
    List<Result> plain = results.stream().filter(r -> !r.scenario().contains(":")).toList();
    List<Result> keyed = results.stream().filter(r -> r.scenario().contains(":")).toList();
    double slo = args.getDouble("slo-ms", 20);
    if (!plain.isEmpty()) {
      ResultTable.Targets targets = new ResultTable.Targets(args.getInt("high-concurrency", 64),
          args.getInt("sleep-concurrency", 32), slo);
      System.out.println(new ResultTable(plain, targets).markdown());
    }
    if (!keyed.isEmpty()) {
      Set<String> rejecting = Set.of(args.get("reject-apps", "").split(","));
      System.out.print(new OverloadTable(keyed, new OverloadTable.Settings(slo, rejecting))
          .markdown());
    }
  }

  private static void goodput(Args args) throws IOException {
    String scenario = args.get("scenario");
    Result last = results(args).stream().filter(r -> r.scenario().equals(scenario))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new IllegalArgumentException("no point of " + scenario));
    System.out.println(Math.round(last.goodput()));
  }

  private static void compare(Args args) throws IOException {
    CompareTable.Settings settings = new CompareTable.Settings(args.get("base"),
        args.get("candidate"), args.get("scenario", "cached"),
        args.getInt("throughput-concurrency", 32),
        args.getDouble("min-throughput-ratio", 1.5), args.getDouble("max-p99-ratio", 0.5));
    System.out.print(new CompareTable(results(args), settings).markdown());
  }

  private static void floodTable(Args args) throws IOException {
    System.out.print(new FloodTable(results(args), FloodTable.Settings.parse(args.get("slo-ms")))
        .markdown());
  }

  private static List<Result> results(Args args) throws IOException {
    return Files.readAllLines(Path.of(args.get("results"))).stream()
        .filter(line -> !line.isBlank())
        .map(Result::fromLine)
        .toList();
  }

  private static void usage() {
    System.err.println("usage: java -jar clipper-bench.jar echo|load|table|goodput|compare|flood-table"
        + " --key value ... "
        + "(see bench/run and ai.clipper.bench.BenchMain)");
    System.exit(2);
  }
}
