package dev.asyncrpc.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The Helm chart in {@code helm/asyncrpc-sample}, linted and rendered by Helm's own engine
 * (helm-java), and the rendered objects checked against each other and against this application:
 * ports, probe paths, grace periods, selectors. These tests live beside the sample because "the
 * probe paths exist in the app" is checked by starting the app with the chart's application.yml.
 */
class HelmChartTests {

    static final Path CHART = Path.of("..", "helm", "asyncrpc-sample");

    /** The cluster version templates render for (the chart needs 1.25 or later). */
    static final String KUBE_VERSION = "1.30.0";

    /** Non-default values: other ports and periods, every optional object on. */
    static final Map<String, Object> CUSTOM = Map.ofEntries(Map.entry("rpc.port", 9443), Map.entry("management.port", 9090),
            Map.entry("shutdown.gracePeriodSeconds", 45), Map.entry("shutdown.preStopSleepSeconds", 3),
            Map.entry("shutdown.exitSlackSeconds", 2), Map.entry("autoscaling.enabled", true), Map.entry("autoscaling.maxReplicas", 6),
            Map.entry("serviceMonitor.enabled", true), Map.entry("serviceMonitor.labels.release", "prometheus"),
            Map.entry("podDisruptionBudget.minAvailable", 1), Map.entry("fullnameOverride", "greeter"),
            Map.entry("image.tag", "1.2.3"), Map.entry("javaToolOptions", "-XX:+UseZGC"),
            // a user's application.yml may not move the ports the chart manages
            Map.entry("config.asyncrpc.server.port", 1234), Map.entry("config.server.port", 4321),
            Map.entry("config.greeting.prefix", "Hi"));

    @Test
    void lintPasses() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.getMessages()).as("helm lint --strict").noneMatch((m) -> m.contains("[ERROR]") || m.contains("[WARNING]"));
        assertThat(result.isFailed()).isFalse();
    }

    @Test
    void defaultValuesRenderTheCoreObjects() {
        Rendered r = new Rendered(render(Map.of()));
        assertThat(r.kinds()).containsExactlyInAnyOrder("ConfigMap", "Deployment", "Service", "Service", "PodDisruptionBudget");
        assertThat(r.deployment().get("spec")).extracting((s) -> ((Map<?, ?>) s).get("replicas")).isEqualTo(2);
        assertThat(r.app("asyncrpc.sample.demo.enabled")).isEqualTo(false);
        assertConsistent(r);
    }

    @Test
    void nonDefaultValuesRenderEveryObjectConsistently() {
        Rendered r = new Rendered(render(CUSTOM));
        assertThat(r.kinds()).containsExactlyInAnyOrder("ConfigMap", "Deployment", "Service", "Service", "PodDisruptionBudget",
                "HorizontalPodAutoscaler", "ServiceMonitor");
        assertThat(r.app("asyncrpc.server.port")).isEqualTo(9443);
        assertThat(r.app("server.port")).isEqualTo(9090);
        assertThat(r.app("asyncrpc.server.shutdown.grace-period")).isEqualTo("45s");
        assertThat(r.app("greeting.prefix")).isEqualTo("Hi");
        Map<String, Object> deployment = r.deployment();
        assertThat(map(deployment, "spec")).doesNotContainKey("replicas"); // the HPA owns the count
        assertThat(r.container().get("image")).isEqualTo("asyncrpc/sample-app:1.2.3");
        assertThat(env(r.container())).containsEntry("JAVA_TOOL_OPTIONS", "-XX:+UseZGC");
        Map<String, Object> hpa = r.only("HorizontalPodAutoscaler");
        assertThat(get(hpa, "spec.scaleTargetRef.name")).isEqualTo(get(deployment, "metadata.name")).isEqualTo("greeter");
        assertThat(get(hpa, "spec.maxReplicas")).isEqualTo(6);
        assertThat(get(r.only("PodDisruptionBudget"), "spec")).isEqualTo(Map.of("minAvailable", 1,
                "selector", Map.of("matchLabels", get(deployment, "spec.selector.matchLabels"))));
        Map<String, Object> monitor = r.only("ServiceMonitor");
        assertThat(get(monitor, "metadata.labels.release")).isEqualTo("prometheus");
        assertConsistent(r);
    }

    @Test
    void tooLittleTimeToExitFailsTheRenderNamingTheValue() {
        assertThatIllegalStateException().isThrownBy(() -> render(Map.of("shutdown.exitSlackSeconds", 1)))
            .withMessageContaining("shutdown.exitSlackSeconds: 1 (expected: >= 2");
    }

    /** Start this application with the chart's application.yml and ask it every path the chart probes or scrapes. */
    @Test
    void probeAndScrapePathsExistInTheApp(@TempDir Path config) throws Exception {
        Rendered r = new Rendered(render(Map.of("serviceMonitor.enabled", true)));
        Files.writeString(config.resolve("application.yml"), r.applicationYaml());
        Set<String> paths = new LinkedHashSet<>();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            paths.add((String) get(r.container(), probe + ".httpGet.path"));
        }
        for (Object endpoint : list(get(r.only("ServiceMonitor"), "spec.endpoints"))) {
            paths.add((String) ((Map<?, ?>) endpoint).get("path"));
        }
        // ports 0 on loopback: the test's own copy of the pod, not the pod's ports
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SampleApplication.class).run(
                "--spring.config.additional-location=file:" + config.toAbsolutePath() + "/", "--server.port=0", "--server.address=127.0.0.1",
                "--asyncrpc.server.port=0", "--asyncrpc.server.address=127.0.0.1")) {
            assertThat(app.getEnvironment().getProperty("asyncrpc.sample.demo.enabled")).isEqualTo("false");
            int port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (String path : paths) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
                if (path.contains("/health")) {
                    assertThat(response.body()).as("GET %s", path).contains("\"UP\"");
                }
            }
        }
        assertThat(paths).contains("/actuator/health/liveness", "/actuator/health/readiness", "/actuator/prometheus");
    }

    /** What must hold for any values. */
    private static void assertConsistent(Rendered r) {
        Map<String, Object> container = r.container();
        Map<String, Integer> ports = containerPorts(container);
        // the container ports are the ports of the rendered application.yml
        assertThat(ports).containsEntry("rpc", (Integer) r.app("asyncrpc.server.port"))
            .containsEntry("management", (Integer) r.app("server.port"));
        // probes hit the management port
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(get(container, probe + ".httpGet.port")).as(probe).isEqualTo("management");
        }
        // grace periods agree: preStop + drain < terminationGracePeriodSeconds, and Spring waits for the drain
        int grace = seconds(r.app("asyncrpc.server.shutdown.grace-period"));
        List<?> preStop = list(get(container, "lifecycle.preStop.exec.command"));
        assertThat(preStop.get(0)).isEqualTo("sleep");
        int preStopSeconds = Integer.parseInt((String) preStop.get(1));
        int termination = (Integer) get(r.deployment(), "spec.template.spec.terminationGracePeriodSeconds");
        assertThat(termination).as("terminationGracePeriodSeconds vs preStop %ds + grace-period %ds", preStopSeconds, grace)
            .isGreaterThan(grace + preStopSeconds);
        assertThat(seconds(r.app("spring.lifecycle.timeout-per-shutdown-phase"))).isGreaterThanOrEqualTo(grace)
            .isLessThan(termination - preStopSeconds);
        // the Deployment selects its own pods
        Map<String, Object> podLabels = cast(get(r.deployment(), "spec.template.metadata.labels"));
        Map<String, Object> selector = cast(get(r.deployment(), "spec.selector.matchLabels"));
        assertThat(podLabels).containsAllEntriesOf(selector);
        // both Services select the Deployment's pods, on ports the container has
        Map<String, Object> headless = r.service("headless");
        Map<String, Object> clusterIp = r.service("cluster-ip");
        assertThat(get(headless, "spec.clusterIP")).isEqualTo("None");
        assertThat(get(headless, "spec.publishNotReadyAddresses")).isEqualTo(false);
        for (Map<String, Object> service : List.of(headless, clusterIp)) {
            Map<String, Object> serviceSelector = cast(get(service, "spec.selector"));
            assertThat(serviceSelector).isNotEmpty();
            assertThat(podLabels).as("pod labels selected by %s", get(service, "metadata.name")).containsAllEntriesOf(serviceSelector);
            for (Object p : list(get(service, "spec.ports"))) {
                Map<?, ?> port = (Map<?, ?>) p;
                assertThat(ports).containsKey((String) port.get("targetPort"));
                assertThat(port.get("port")).isEqualTo(ports.get((String) port.get("targetPort")));
            }
        }
        assertThat(list(get(headless, "spec.ports"))).extracting((p) -> cast(p).get("name")).containsExactly((Object) "rpc");
        // the PodDisruptionBudget covers the pods
        assertThat(podLabels).containsAllEntriesOf(cast(get(r.only("PodDisruptionBudget"), "spec.selector.matchLabels")));
        // restricted security context, writable /tmp only
        assertThat(get(r.deployment(), "spec.template.spec.securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat(get(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(get(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(list(get(container, "securityContext.capabilities.drop"))).containsExactly("ALL");
        assertThat(list(get(container, "volumeMounts"))).anySatisfy((m) -> assertThat(((Map<?, ?>) m).get("mountPath")).isEqualTo("/tmp"));
        assertThat(list(get(r.deployment(), "spec.template.spec.volumes")))
            .anySatisfy((v) -> assertThat(cast(v)).containsEntry("name", "tmp").containsKey("emptyDir"));
        // the ConfigMap is the one mounted where Spring reads it
        assertThat(env(container)).containsEntry("SPRING_CONFIG_ADDITIONAL_LOCATION", "optional:file:/config/");
        assertThat(list(get(r.deployment(), "spec.template.spec.volumes"))).anySatisfy((v) -> assertThat(get(cast(v), "configMap.name"))
            .isEqualTo(get(r.only("ConfigMap"), "metadata.name")));
        // a ServiceMonitor scrapes the metrics path on the ClusterIP Service's management port only
        if (r.kinds().contains("ServiceMonitor")) {
            Map<String, Object> monitor = r.only("ServiceMonitor");
            Map<String, Object> matches = cast(get(monitor, "spec.selector.matchLabels"));
            assertThat(cast(get(clusterIp, "metadata.labels"))).containsAllEntriesOf(matches);
            assertThat(cast(get(headless, "metadata.labels"))).doesNotContainEntry("asyncrpc.dev/service-kind", "cluster-ip");
            assertThat(list(get(monitor, "spec.endpoints"))).allSatisfy((e) -> assertThat(((Map<?, ?>) e).get("port")).isEqualTo("management"));
        }
    }

    static List<Map<String, Object>> render(Map<String, Object> values) {
        TemplateCommand template = new Helm(CHART).template().withName("demo").withNamespace("apps").withKubeVersion(KUBE_VERSION);
        values.forEach(template::set);
        String manifest = template.call();
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(manifest)) {
            if (doc != null) {
                docs.add(cast(doc));
            }
        }
        return docs;
    }

    static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    static Map<String, Object> map(Map<String, Object> m, String key) {
        return cast(m.get(key));
    }

    /** A dotted path into nested maps; {@code null} if absent. */
    static Object get(Map<String, Object> m, String path) {
        Object current = m;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    private static Map<String, Integer> containerPorts(Map<String, Object> container) {
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        for (Object p : list(container.get("ports"))) {
            Map<?, ?> port = (Map<?, ?>) p;
            ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
        }
        return ports;
    }

    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Object e : list(container.get("env"))) {
            Map<?, ?> var = (Map<?, ?>) e;
            env.put((String) var.get("name"), String.valueOf(var.get("value")));
        }
        return env;
    }

    private static int seconds(Object duration) {
        String text = String.valueOf(duration);
        assertThat(text).matches("\\d+s");
        return Integer.parseInt(text.substring(0, text.length() - 1));
    }

    /** The rendered objects of one {@code helm template}. */
    record Rendered(List<Map<String, Object>> docs) {

        List<String> kinds() {
            return this.docs.stream().map((d) -> (String) d.get("kind")).toList();
        }

        Map<String, Object> only(String kind) {
            List<Map<String, Object>> found = this.docs.stream().filter((d) -> kind.equals(d.get("kind"))).toList();
            assertThat(found).as("rendered %s objects", kind).hasSize(1);
            return found.get(0);
        }

        Map<String, Object> deployment() {
            return only("Deployment");
        }

        Map<String, Object> container() {
            List<?> containers = list(get(deployment(), "spec.template.spec.containers"));
            assertThat(containers).hasSize(1);
            return cast(containers.get(0));
        }

        Map<String, Object> service(String serviceKind) {
            Function<Map<String, Object>, Object> kindLabel = (d) -> get(d, "metadata.labels");
            List<Map<String, Object>> found = this.docs.stream().filter((d) -> "Service".equals(d.get("kind")))
                .filter((d) -> serviceKind.equals(((Map<?, ?>) kindLabel.apply(d)).get("asyncrpc.dev/service-kind"))).toList();
            assertThat(found).as("%s Service", serviceKind).hasSize(1);
            return found.get(0);
        }

        String applicationYaml() {
            return (String) map(only("ConfigMap"), "data").get("application.yml");
        }

        /** A property of the ConfigMap's application.yml, by its dotted name. */
        Object app(String property) {
            Map<String, Object> application = cast(yaml().load(applicationYaml()));
            Object current = application;
            for (String key : property.split("\\.")) {
                current = ((Map<?, ?>) current).get(key);
            }
            return current;
        }
    }
}
