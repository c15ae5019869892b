package dev.caviar.config;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.Scales;
import dev.caviar.space.SearchSpace;
import dev.caviar.study.Confirm;
import dev.caviar.study.RoundSpec;
import dev.caviar.study.StudySettings;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A whole study config, validated: what {@link StudyConfig} builds from HOCON and what a notebook
 * builds in code. Cross-section rules live here, so both paths share them.
 *
 * @param study the search settings and schedule
 * @param data where the data comes from
 * @param model hyperparameters fixed for every trial (normalised to Double, Integer, Boolean or
 *     String); the trainer's defaults apply to names in neither {@code model} nor {@code space}
 * @param space the searched hyperparameters
 * @param execution how the cluster is used
 * @param output where results go
 * @param warmStart an earlier study's directory whose final region the first round samples (a later
 *     run re-testing an earlier study's region); null for a cold start
 */
public record StudySpec(
    StudySettings study,
    DataSpec data,
    SortedMap<String, Object> model,
    SearchSpace space,
    ExecutionSpec execution,
    OutputSpec output,
    String warmStart)
    implements Serializable {

  public StudySpec {
    if (study == null || data == null || space == null || execution == null || output == null) {
      throw new IllegalArgumentException(
          "spec: study, data, space, execution and output are required");
    }
    if (warmStart != null && warmStart.isBlank()) {
      throw new IllegalArgumentException(
          "study.warmStart: must name an earlier study's directory, got '" + warmStart + "'");
    }
    TreeMap<String, Object> m = new TreeMap<>();
    for (Map.Entry<String, Object> e :
        (model == null ? Map.<String, Object>of() : model).entrySet()) {
      m.put(e.getKey(), Hyperparameters.normalize("model." + e.getKey(), e.getKey(), e.getValue()));
    }
    model = Collections.unmodifiableSortedMap(m);
    for (Parameter p : space.parameters()) {
      String key = "space." + p.name();
      Hyperparameters.get(key, p.name());
      if (model.containsKey(p.name())) {
        throw new IllegalArgumentException(
            key
                + ": also fixed as model."
                + p.name()
                + " = "
                + model.get(p.name())
                + "; a hyperparameter is fixed or searched, not both");
      }
      checkDomain(key, p.name(), p.domain());
      if (p.limits() != null) {
        checkDomain(key + ".limits", p.name(), p.limits());
      }
    }
    CrossChecks.check(model, space);
    for (int r = 0; r < study.rounds().size(); r++) {
      Confirm c = study.rounds().get(r).confirm();
      if (c.active() && !(c.replicates() > execution.replicas())) {
        throw new IllegalArgumentException(
            "study.rounds["
                + r
                + "].confirm.replicates: must be > execution.replicas ("
                + execution.replicas()
                + "), the replicates every trial already has, got "
                + c.replicates());
      }
    }
  }

  private static List<String> scalesOf(Scales.Shape shape) {
    List<String> out = new ArrayList<>();
    for (Scales.Scale s : Scales.ALL) {
      if (s.shape() == shape) {
        out.add(s.name());
      }
    }
    return out;
  }

  private static void checkDomain(String key, String name, Domain d) {
    if (d instanceof Domain.Numeric n) {
      boolean integer = Hyperparameters.isInteger(name);
      if (Scales.of(d).integer() != integer) {
        throw new IllegalArgumentException(
            key
                + ".scale: "
                + name
                + (integer ? " is an integer: use " : " is a real number: use ")
                + String.join(", ", scalesOf(integer ? Scales.Shape.INTEGER : Scales.Shape.REAL))
                + ", got "
                + d.scale());
      }
      Object lo = Hyperparameters.isInteger(name) ? (Object) (int) n.lowBound() : n.lowBound();
      Object hi = Hyperparameters.isInteger(name) ? (Object) (int) n.highBound() : n.highBound();
      Hyperparameters.normalize(key + ".low", name, lo);
      Hyperparameters.normalize(key + ".high", name, hi);
    } else if (d instanceof Domain.Choice c) {
      for (Object v : c.values()) {
        if (!Hyperparameters.normalize(key + ".values", name, v).equals(v)) {
          throw new IllegalArgumentException(
              key + ".values: " + v + " has the wrong type for " + name);
        }
      }
    } else if (d instanceof Domain.Fixed f) {
      if (!Hyperparameters.normalize(key + ".value", name, f.value()).equals(f.value())) {
        throw new IllegalArgumentException(
            key + ".value: " + f.value() + " has the wrong type for " + name);
      }
    }
  }

  /** Every key, defaults included, as a nested map (for HOCON/JSON rendering). */
  public Map<String, Object> toMap() {
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("name", study.name());
    s.put("seed", study.seed());
    List<Object> rounds = new ArrayList<>();
    for (RoundSpec r : study.rounds()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("trials", r.trials());
      m.put("epochs", r.epochs());
      // Only a confirmation is written: the configs of studies without one stay as they were.
      if (r.confirm().active()) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("top", r.confirm().top());
        c.put("replicates", r.confirm().replicates());
        m.put("confirm", c);
      }
      rounds.add(m);
    }
    s.put("rounds", rounds);
    s.put("elite", study.elite());
    s.put("margin", study.margin());
    s.put("carry", study.carry());
    s.put("carried", study.carried().configName());
    s.put("metric", study.metric().configName());
    s.put("divergenceFactor", study.divergenceFactor());
    s.put("sampler", study.sampler());
    s.put("minWidth", study.minWidth());
    s.put("choiceFloor", study.choiceFloor());
    Map<String, Object> stop = new LinkedHashMap<>();
    stop.put("rule", study.stopping().rule().configName());
    stop.put("at", study.stopping().at());
    stop.put("keep", study.stopping().keep());
    stop.put("minEpochs", study.stopping().minEpochs());
    s.put("stopping", stop);
    s.put("warmStart", warmStart);
    root.put("study", s);

    Map<String, Object> d = new LinkedHashMap<>();
    d.put("source", data.source().configName());
    d.put("path", data.path());
    d.put("labelsPath", data.labelsPath());
    d.put("testPath", data.testPath());
    d.put("testLabelsPath", data.testLabelsPath());
    d.put("labelColumn", data.labelColumn());
    d.put("featuresColumn", data.featuresColumn());
    d.put("header", data.header());
    d.put("testFraction", data.testFraction());
    d.put("validationFraction", data.validationFraction());
    d.put("features", data.features());
    if (data.synthetic() != null) {
      Map<String, Object> syn = new LinkedHashMap<>();
      syn.put("rows", data.synthetic().rows());
      syn.put("features", data.synthetic().features());
      syn.put("classes", data.synthetic().classes());
      syn.put("difficulty", data.synthetic().difficulty());
      // Only a shift is written: the configs of studies without one stay as they were.
      if (data.synthetic().shiftAfter() != 0) {
        syn.put("shiftAfter", data.synthetic().shiftAfter());
      }
      d.put("synthetic", syn);
    } else {
      d.put("synthetic", null);
    }
    root.put("data", d);
    root.put("model", new LinkedHashMap<>(model));

    Map<String, Object> sp = new LinkedHashMap<>();
    for (Parameter p : space.parameters()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("scale", p.domain().scale());
      if (p.domain() instanceof Domain.Numeric n) {
        Scales.Scale scale = Scales.of(n);
        e.put("low", scale.bound(n.lowBound()));
        e.put("high", scale.bound(n.highBound()));
        if (p.limits() != null) {
          Domain.Numeric l = (Domain.Numeric) p.limits();
          e.put("limits", List.of(scale.bound(l.lowBound()), scale.bound(l.highBound())));
        }
      } else if (p.domain() instanceof Domain.Choice c) {
        e.put("values", c.values());
      } else if (p.domain() instanceof Domain.Fixed f) {
        e.put("value", f.value());
      }
      if (p.condition() != null) {
        e.put("when", Map.of(p.condition().parent(), p.condition().values()));
      }
      sp.put(p.name(), e);
    }
    root.put("space", sp);

    Map<String, Object> x = new LinkedHashMap<>();
    x.put("layout", execution.layout().name().toLowerCase(java.util.Locale.ROOT));
    x.put("shards", execution.shards());
    x.put("replicas", execution.replicas());
    x.put("broadcastLimitMb", execution.broadcastLimitMb());
    root.put("execution", x);
    Map<String, Object> fin = new LinkedHashMap<>();
    fin.put("models", execution.finalModels());
    fin.put("train", execution.finalTrain().configName());
    fin.put("epochs", execution.finalEpochs());
    fin.put("retrained", execution.finalRetrained());
    root.put("final", fin);
    root.put("output", Map.of("dir", output.dir()));
    return root;
  }

  /** The fully resolved config as HOCON: {@link StudyConfig#parse} of it gives this spec back. */
  public String render() {
    return ConfigValueFactory.fromMap(toMap())
        .render(
            ConfigRenderOptions.defaults()
                .setOriginComments(false)
                .setComments(false)
                .setJson(false)
                .setFormatted(true));
  }

  /** The fully resolved config as JSON. */
  public String renderJson() {
    return ConfigValueFactory.fromMap(toMap())
        .render(ConfigRenderOptions.concise().setFormatted(true));
  }
}
