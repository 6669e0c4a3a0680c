package ai.clipper.frontend.selection;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The policies by the name {@code set_selection_policy} stores. */
@Component
public class SelectionPolicies {

  private final Map<String, SelectionPolicy> byName = List.of(new SinglePolicy(),
          new Exp3Policy(), new Exp4Policy(), new EpsilonGreedyPolicy(), new AbPolicy())
      .stream().collect(Collectors.toUnmodifiableMap(SelectionPolicy::name, Function.identity()));

  public Optional<SelectionPolicy> named(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public SelectionPolicy single() {
    return byName.get("single");
  }
}
