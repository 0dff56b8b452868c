package io.devops.deployer.kubernetes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/**
 * The Kubernetes objects of a service, as pure functions of what a rollout wants: no I/O here, so
 * the dry run shows exactly what the driver applies.
 *
 * <p>The layout: the Service {@code <app>} selects the pods of one colour ({@code devops.io/color}).
 * The stable Deployment of a colour is {@code <app>-<colour>} (track {@code stable}); a canary is
 * {@code <app>-canary} (track {@code canary}) whose pods carry the live colour, so the Service sends
 * them a share of the traffic in proportion to their replicas. Selectors, immutable in
 * Kubernetes, are fixed per Deployment name.
 */
public final class Manifests {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String COLOR = "devops.io/color";
    public static final String TRACK = "devops.io/track";
    public static final String VERSION = "app.kubernetes.io/version";
    public static final String DEPLOYMENT_ID = "devops.io/deployment-id";
    public static final String STABLE = "stable";
    public static final String CANARY = "canary";
    public static final String BLUE = "blue";
    public static final String GREEN = "green";
    private static final String CONTAINER = "app";

    private final String app;
    private final String managedBy;
    private final String pullSecret;

    public Manifests(String app, String managedBy, String pullSecret) {
        this.app = app;
        this.managedBy = managedBy;
        this.pullSecret = pullSecret;
    }

    /** The Kubernetes name of a service: lower case, letters, digits and dashes, at most 40 characters. */
    public static String appName(String serviceName) {
        String name = serviceName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        name = name.length() > 40 ? name.substring(0, 40).replaceAll("-+$", "") : name;
        return name.isEmpty() ? "service" : name;
    }

    public static String stableName(String app, String color) {
        return app + "-" + color;
    }

    public static String canaryName(String app) {
        return app + "-" + CANARY;
    }

    public static String otherColor(String color) {
        return BLUE.equals(color) ? GREEN : BLUE;
    }

    public String app() {
        return app;
    }

    public Deployment workload(String namespace, ClusterAction.ApplyWorkload action, String deploymentId) {
        Map<String, String> selector = selector(action.track(), action.color());
        Map<String, String> podLabels = new TreeMap<>(selector);
        podLabels.put(COLOR, action.color());
        podLabels.put(MANAGED_BY, managedBy);
        Map<String, String> labels = new TreeMap<>(podLabels);
        labels.put(VERSION, labelValue(action.version()));
        return new DeploymentBuilder()
                .withNewMetadata().withName(action.name()).withNamespace(namespace).withLabels(labels)
                .withAnnotations(Map.of(DEPLOYMENT_ID, deploymentId)).endMetadata()
                .withNewSpec().withReplicas(action.replicas()).withProgressDeadlineSeconds(action.progressDeadlineSeconds())
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withTemplate(podTemplate(podLabels, action.template(), action.version(), deploymentId))
                .endSpec().build();
    }

    public Service service(String namespace, String color, int port) {
        return new ServiceBuilder()
                .withNewMetadata().withName(app).withNamespace(namespace)
                .withLabels(Map.of(NAME, app, MANAGED_BY, managedBy)).endMetadata()
                .withNewSpec().withSelector(serviceSelector(color))
                .addNewPort().withName("http").withPort(port).withTargetPort(new IntOrString(port)).endPort()
                .endSpec().build();
    }

    public Map<String, String> serviceSelector(String color) {
        return new TreeMap<>(Map.of(NAME, app, COLOR, color));
    }

    /** The selector of a Deployment: fixed by its track and, for stable ones, its colour. */
    public Map<String, String> selector(String track, String color) {
        Map<String, String> selector = new TreeMap<>();
        selector.put(NAME, app);
        selector.put(TRACK, track);
        if (STABLE.equals(track)) {
            selector.put(COLOR, color);
        }
        return selector;
    }

    PodTemplateSpec podTemplate(Map<String, String> labels, WorkloadTemplate template, String version, String deploymentId) {
        ContainerBuilder container = new ContainerBuilder().withName(CONTAINER).withImage(template.image())
                .withPorts(new ContainerPortBuilder().withName("http").withContainerPort(template.port()).build())
                .withEnv(template.env().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(entry -> new EnvVar(entry.getKey(), entry.getValue(), null)).toList());
        if (!template.requests().isEmpty() || !template.limits().isEmpty()) {
            container.withResources(new ResourceRequirementsBuilder().withRequests(quantities(template.requests()))
                    .withLimits(quantities(template.limits())).build());
        }
        if (template.readinessPath() != null) {
            container.withReadinessProbe(new ProbeBuilder().withHttpGet(new HTTPGetActionBuilder()
                    .withPath(template.readinessPath()).withPort(new IntOrString(template.port())).build())
                    .withPeriodSeconds(5).withFailureThreshold(3).build());
        }
        PodSpecBuilder pod = new PodSpecBuilder().withContainers(container.build());
        if (pullSecret != null) {
            pod.withImagePullSecrets(List.of(new LocalObjectReference(pullSecret)));
        }
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels)
                .withAnnotations(Map.of(DEPLOYMENT_ID, deploymentId, VERSION, version)).endMetadata()
                .withSpec(pod.build()).build();
    }

    /** Reads back what {@link #podTemplate} wrote, for keeping the template a rollout replaces. */
    public static WorkloadTemplate template(Deployment deployment) {
        var containers = deployment.getSpec() == null || deployment.getSpec().getTemplate() == null
                || deployment.getSpec().getTemplate().getSpec() == null ? null
                        : deployment.getSpec().getTemplate().getSpec().getContainers();
        if (containers == null || containers.isEmpty()) {
            return null;
        }
        var container = containers.get(0);
        Map<String, String> env = new LinkedHashMap<>();
        if (container.getEnv() != null) {
            container.getEnv().stream().filter(var -> var.getValue() != null).forEach(var -> env.put(var.getName(), var.getValue()));
        }
        Map<String, String> requests = new TreeMap<>();
        Map<String, String> limits = new TreeMap<>();
        if (container.getResources() != null) {
            if (container.getResources().getRequests() != null) {
                container.getResources().getRequests().forEach((key, value) -> requests.put(key, value.toString()));
            }
            if (container.getResources().getLimits() != null) {
                container.getResources().getLimits().forEach((key, value) -> limits.put(key, value.toString()));
            }
        }
        int port = container.getPorts() == null || container.getPorts().isEmpty() ? 8080
                : container.getPorts().get(0).getContainerPort();
        String readiness = container.getReadinessProbe() != null && container.getReadinessProbe().getHttpGet() != null
                ? container.getReadinessProbe().getHttpGet().getPath() : null;
        return new WorkloadTemplate(container.getImage(), env, requests, limits, port, readiness);
    }

    private static Map<String, Quantity> quantities(Map<String, String> values) {
        Map<String, Quantity> quantities = new TreeMap<>();
        values.forEach((key, value) -> quantities.put(key, new Quantity(value)));
        return quantities;
    }

    /** A label value: at most 63 characters of letters, digits, '-', '_' and '.'. */
    static String labelValue(String text) {
        String value = text.replaceAll("[^A-Za-z0-9_.-]", "_");
        value = value.length() > 63 ? value.substring(value.length() - 63) : value;
        return value.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
    }
}
