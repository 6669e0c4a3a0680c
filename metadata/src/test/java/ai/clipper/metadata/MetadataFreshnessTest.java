package ai.clipper.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataFreshnessTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Instant now = T0;
  private final List<String> heard = new ArrayList<>();
  private final MetadataFreshness freshness = new MetadataFreshness(
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      },
      new MetadataFreshness.Listener() {
        @Override
        public void turnedStale(MetadataFreshness.Stale stale) {
          heard.add("stale: " + stale.reason());
        }

        @Override
        public void turnedFresh(long version) {
          heard.add("fresh at " + version);
        }
      });

  @Test
  void appliesTheFirstVersionAndEveryNewerOne() {
    assertThat(freshness.observe(0)).isTrue();
    freshness.applied(0);
    assertThat(freshness.observe(0)).isFalse();
    assertThat(freshness.observe(3)).isTrue();
    freshness.applied(3);

    assertThat(freshness.appliedVersion()).isEqualTo(3);
    assertThat(freshness.stale()).isEmpty();
    assertThat(heard).isEmpty();
  }

  @Test
  void aCounterThatWentBackIsNotAppliedAndSaysSoOnce() {
    apply(57);
    now = T0.plusSeconds(10);

    for (int tick = 0; tick < 100; tick++) {
      assertThat(freshness.observe(0)).isFalse();
    }

    assertThat(freshness.stale()).hasValueSatisfying(stale -> {
      assertThat(stale.reason()).contains("went back from 57 to 0");
      assertThat(stale.since()).isEqualTo(T0.plusSeconds(10));
      assertThat(stale.appliedVersion()).isEqualTo(57);
    });
    assertThat(heard).containsExactly(
        "stale: the version counter went back from 57 to 0: Redis lost or was replaced with other"
            + " data");
    assertThat(freshness.appliedVersion()).isEqualTo(57);
  }

  @Test
  void aChangeWrittenAfterTheLossIsAppliedAndEndsTheStaleness() {
    apply(57);
    freshness.observe(0);

    assertThat(freshness.observe(1)).isTrue();
    freshness.applied(1);

    assertThat(freshness.stale()).isEmpty();
    assertThat(freshness.appliedVersion()).isEqualTo(1);
    assertThat(heard).last().isEqualTo("fresh at 1");
    assertThat(freshness.observe(1)).isFalse();
    assertThat(freshness.observe(2)).isTrue();
  }

  @Test
  void aRedisReplacedAgainWithLessStaysStaleUntilAChangePastTheLowest() {
    apply(57);
    freshness.observe(12);
    assertThat(freshness.observe(3)).isFalse();
    assertThat(freshness.observe(12)).isTrue();
    assertThat(heard).hasSize(1);
  }

  @Test
  void anOutageIsOneStaleTurnAndHealsWhenRedisAnswersTheSameVersion() {
    apply(5);
    for (int tick = 0; tick < 30; tick++) {
      freshness.unreachable("Connection refused");
    }
    assertThat(freshness.stale()).hasValueSatisfying(stale ->
        assertThat(stale.reason()).isEqualTo("Redis is unreachable: Connection refused"));

    assertThat(freshness.observe(5)).isFalse();

    assertThat(freshness.stale()).isEmpty();
    assertThat(heard).containsExactly("stale: Redis is unreachable: Connection refused",
        "fresh at 5");
  }

  @Test
  void aLossFoundAfterAnOutageIsToldToo() {
    apply(5);
    now = T0.plus(Duration.ofSeconds(1));
    freshness.unreachable("Connection refused");
    now = T0.plus(Duration.ofSeconds(4));

    freshness.observe(0);

    assertThat(freshness.stale()).hasValueSatisfying(stale -> {
      assertThat(stale.reason()).contains("went back from 5 to 0");
      assertThat(stale.since()).isEqualTo(T0.plusSeconds(1));
    });
    assertThat(heard).hasSize(2);
  }

  private void apply(long version) {
    assertThat(freshness.observe(version)).isTrue();
    freshness.applied(version);
  }
}
