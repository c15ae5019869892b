package dev.caviar;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package layers of DESIGN.md, kept by a test rather than by goodwill. The order kept
 * (2026-11-29): {@code space < nn < study < config < data < report < spark < watch < job}; each
 * layer may use only those before it. {@code space} is the bottom because it owns the shared
 * vocabulary (scale names, the config spelling of enum names) that the engine's enums use too.
 */
@AnalyzeClasses(packages = "dev.caviar", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String SPACE = "dev.caviar.space..";
  private static final String NN = "dev.caviar.nn..";
  private static final String STUDY = "dev.caviar.study..";
  private static final String CONFIG = "dev.caviar.config..";

  @ArchTest
  static final ArchRule layersPointOneWay =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("space")
          .definedBy(SPACE)
          .layer("nn")
          .definedBy(NN)
          .layer("study")
          .definedBy(STUDY)
          .layer("config")
          .definedBy(CONFIG)
          .layer("data")
          .definedBy("dev.caviar.data..")
          .layer("report")
          .definedBy("dev.caviar.report..")
          .layer("spark")
          .definedBy("dev.caviar.spark..")
          .layer("watch")
          .definedBy("dev.caviar.watch..")
          .layer("job")
          .definedBy("dev.caviar.job..")
          .whereLayer("job")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("watch")
          .mayOnlyBeAccessedByLayers("job")
          .whereLayer("spark")
          .mayOnlyBeAccessedByLayers("watch", "job")
          .whereLayer("report")
          .mayOnlyBeAccessedByLayers("spark", "watch", "job")
          .whereLayer("data")
          .mayOnlyBeAccessedByLayers("report", "spark", "watch", "job")
          .whereLayer("config")
          .mayOnlyBeAccessedByLayers("data", "report", "spark", "watch", "job")
          .whereLayer("study")
          .mayOnlyBeAccessedByLayers("config", "data", "report", "spark", "watch", "job")
          .whereLayer("nn")
          .mayOnlyBeAccessedByLayers("study", "config", "data", "report", "spark", "watch", "job");

  @ArchTest
  static final ArchRule noCycles = slices().matching("dev.caviar.(*)..").should().beFreeOfCycles();

  /** Rule 8 of STYLE.md: only the packages that must touch Spark import it. */
  @ArchTest
  static final ArchRule sparkStaysAtTheEdge =
      noClasses()
          .that()
          .resideOutsideOfPackages(
              "dev.caviar.data..", "dev.caviar.spark..", "dev.caviar.watch..", "dev.caviar.job..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.spark..");

  @ArchTest
  static final ArchRule hadoopOnlyWhereFilesAre =
      noClasses()
          .that()
          .resideInAnyPackage(SPACE, NN, STUDY, CONFIG)
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.hadoop..");

  @ArchTest
  static final ArchRule spaceIsPlainJava =
      classes()
          .that()
          .resideInAPackage(SPACE)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", SPACE);

  /** The engine: the JDK, the BLAS Spark MLlib ships, a logger, and the names in space. */
  @ArchTest
  static final ArchRule nnIsPlainJavaAndBlas =
      classes()
          .that()
          .resideInAPackage(NN)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", NN, SPACE, "dev.ludovic.netlib..", "org.slf4j..");

  @ArchTest
  static final ArchRule studyIsPureAskTell =
      classes()
          .that()
          .resideInAPackage(STUDY)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "java..", STUDY, SPACE, NN, "org.slf4j..", "org.apache.commons.math3..");

  @ArchTest
  static final ArchRule configReadsHoconOnly =
      classes()
          .that()
          .resideInAPackage(CONFIG)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", CONFIG, STUDY, SPACE, NN, "com.typesafe.config..");
}
