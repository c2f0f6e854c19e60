package org.govshare;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Dependencies run one way: the composition root ({@code org.govshare.Platform}, {@code Main}) and
 * {@code tools} on top, the capabilities below them, {@code platform}, {@code kernel} and
 * {@code notification} at the bottom. Main code only: tests may reach across.
 */
@AnalyzeClasses(packages = "org.govshare", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String[] CAPABILITIES = {
      "org.govshare.catalog..", "org.govshare.identity..", "org.govshare.sharing..", "org.govshare.access..",
      "org.govshare.audit..", "org.govshare.push..", "org.govshare.objection..", "org.govshare.supervision.."};

  @ArchTest
  static final ArchRule platform_importsNoCapability = noClasses().that().resideInAPackage("org.govshare.platform..")
      .should().dependOnClassesThat().resideInAnyPackage(CAPABILITIES)
      .because("platform is below the capabilities; what it needs of them is a kernel interface (AuditSink, RefusalTally)");

  @ArchTest
  static final ArchRule platform_importsNeitherRootNorTools = noClasses().that().resideInAPackage("org.govshare.platform..")
      .should().dependOnClassesThat().resideInAnyPackage("org.govshare", "org.govshare.tools..", "org.govshare.notification..");

  @ArchTest
  static final ArchRule capabilities_importNeitherRootNorTools = noClasses().that().resideInAnyPackage(CAPABILITIES)
      .should().dependOnClassesThat().resideInAnyPackage("org.govshare", "org.govshare.tools..")
      .because("the wiring and the command-line tools sit on top");

  @ArchTest
  static final ArchRule kernelAndNotification_importNothingOfGovshare = noClasses()
      .that().resideInAnyPackage("org.govshare.kernel..", "org.govshare.notification..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "org.govshare", "org.govshare.platform..", "org.govshare.tools..", "org.govshare.catalog..", "org.govshare.identity..",
          "org.govshare.sharing..", "org.govshare.access..", "org.govshare.audit..", "org.govshare.push..",
          "org.govshare.objection..", "org.govshare.supervision..")
      .because("the shared kernel is the bottom every capability may use");

  @ArchTest
  static final ArchRule slices_freeOfCycles = slices().matching("org.govshare.(*)..").should().beFreeOfCycles();
}
