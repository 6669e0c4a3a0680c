package ai.clipper.management.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which artifacts a collection deletes, on a clock the test moves. */
class ArtifactStoreTest {

  @TempDir
  Path dir;
  private final MovableClock clock = new MovableClock();

  @Test
  void anUploadWaitsForItsModelUntilTheClaimTimeIsOver() throws IOException {
    ArtifactStore store = new ArtifactStore(dir, 1 << 20, clock);
    Artifact artifact = store.store(bytes("model"), Optional.empty());

    assertThat(store.collect(Set::of)).isZero();
    assertThat(store.file(artifact.digest())).isPresent();

    clock.advance(ArtifactStore.CLAIM_WITHIN.plusSeconds(1));
    assertThat(store.collect(Set::of)).isEqualTo(1);
    assertThat(store.file(artifact.digest())).isEmpty();
  }

  @Test
  void aClaimedArtifactGoesAsSoonAsNoModelUsesIt() throws IOException {
    ArtifactStore store = new ArtifactStore(dir, 1 << 20, clock);
    Artifact artifact = store.store(bytes("model"), Optional.empty());
    assertThat(store.claim(artifact.digest(), () -> true)).isTrue();

    assertThat(store.collect(() -> Set.of(artifact.digest()))).isZero();
    assertThat(store.collect(Set::of)).isEqualTo(1);
    assertThat(store.file(artifact.digest())).isEmpty();
  }

  @Test
  void aModelCannotClaimAnArtifactThatIsNotStored() {
    ArtifactStore store = new ArtifactStore(dir, 1 << 20, clock);

    assertThatThrownBy(() -> store.claim("sha256:" + "a".repeat(64), () -> true))
        .isInstanceOf(ArtifactException.class).hasMessageContaining("upload it first");
  }

  @Test
  void aCollectionWaitsForAClaimInProgressAndThenSparesItsArtifact() throws Exception {
    ArtifactStore store = new ArtifactStore(dir, 1 << 20, clock);
    Artifact artifact = store.store(bytes("model"), Optional.empty());
    clock.advance(ArtifactStore.CLAIM_WITHIN.plusSeconds(1)); // collectable, unless claimed
    AtomicBoolean modelWritten = new AtomicBoolean();
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch finishWrite = new CountDownLatch(1);
    CompletableFuture<Boolean> claim = CompletableFuture.supplyAsync(() ->
        store.claim(artifact.digest(), () -> {
          writing.countDown();
          waitFor(finishWrite);
          modelWritten.set(true);
          return true;
        }));
    waitFor(writing);

    AtomicReference<Thread> collector = new AtomicReference<>();
    CompletableFuture<Integer> collection = CompletableFuture.supplyAsync(() -> {
      collector.set(Thread.currentThread());
      return store.collect(() -> modelWritten.get() ? Set.of(artifact.digest()) : Set.of());
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> collector.get() != null
        && collector.get().getState() == Thread.State.BLOCKED);
    finishWrite.countDown();

    assertThat(claim.get()).isTrue();
    assertThat(collection.get()).isZero();
    assertThat(store.file(artifact.digest())).isPresent();
  }

  @Test
  void whatAnInterruptedUploadLeftIsCleanedUpOnceItIsOld() throws IOException {
    Path leftover = Files.writeString(dir.resolve("upload-123.partial"), "half a model");
    Files.setLastModifiedTime(leftover, FileTime.from(clock.instant()));
    ArtifactStore store = new ArtifactStore(dir, 1 << 20, clock);

    store.collect(Set::of);
    assertThat(leftover).exists();
    clock.advance(ArtifactStore.CLAIM_WITHIN.plusSeconds(1));
    store.collect(Set::of);
    assertThat(leftover).doesNotExist();
  }

  @Test
  void afterARestartRecentUploadsStillWaitForTheirModel() throws IOException {
    Artifact artifact = new ArtifactStore(dir, 1 << 20, clock)
        .store(bytes("model"), Optional.empty());
    Files.setLastModifiedTime(store(artifact), FileTime.from(clock.instant()));

    ArtifactStore restarted = new ArtifactStore(dir, 1 << 20, clock);
    assertThat(restarted.collect(Set::of)).isZero();
    clock.advance(ArtifactStore.CLAIM_WITHIN.plusSeconds(1));
    assertThat(restarted.collect(Set::of)).isEqualTo(1);
  }

  private Path store(Artifact artifact) {
    return dir.resolve(artifact.digest().substring("sha256:".length()));
  }

  private static ByteArrayInputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes());
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A clock that stands still until the test moves it. */
  private static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
