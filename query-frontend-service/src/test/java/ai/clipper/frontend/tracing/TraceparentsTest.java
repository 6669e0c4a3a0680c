package ai.clipper.frontend.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A client's W3C traceparent: its sampled flag and trace id, a malformed one sampling nothing. */
class TraceparentsTest {

  private static final String SAMPLED =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  @Test
  void readsTheSampledFlag() {
    assertThat(Traceparents.isSampled(SAMPLED)).isTrue();
    assertThat(Traceparents.isSampled(SAMPLED.replace("-01", "-00"))).isFalse();
    assertThat(Traceparents.isSampled(SAMPLED.replace("-01", "-03"))).isTrue();
  }

  @Test
  void aMalformedHeaderSamplesNothing() {
    assertThat(Traceparents.isSampled("")).isFalse();
    assertThat(Traceparents.isSampled("00-abc-01")).isFalse();
    assertThat(Traceparents.isSampled(SAMPLED.replace("-b7ad", "xb7ad"))).isFalse();
  }

  @Test
  void readsTheTraceId() {
    assertThat(Traceparents.traceId(SAMPLED)).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(Traceparents.traceId("00-short")).isNull();
  }
}
