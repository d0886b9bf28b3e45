package dev.asyncrpc.spring.autoconfigure.observability;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.core.Ordered;

/**
 * Makes a contributor a member of the {@code readiness} group, when there is such a group (Spring
 * Boot adds it with the Kubernetes probes). Runs after the post-processor that adds the probes.
 */
final class ReadinessGroupPostProcessor implements HealthEndpointGroupsPostProcessor, Ordered {

    static final String READINESS = "readiness";

    private final String member;

    ReadinessGroupPostProcessor(String member) {
        this.member = member;
    }

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        HealthEndpointGroup readiness = groups.get(READINESS);
        if (readiness == null || readiness.isMember(this.member)) {
            return groups;
        }
        Map<String, HealthEndpointGroup> named = new LinkedHashMap<>();
        for (String name : groups.getNames()) {
            HealthEndpointGroup group = groups.get(name);
            named.put(name, name.equals(READINESS) ? new WithMember(group, this.member) : group);
        }
        return HealthEndpointGroups.of(groups.getPrimary(), named);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** A group that also has {@code member} (and its components) as a member. */
    private record WithMember(HealthEndpointGroup group, String member) implements HealthEndpointGroup {

        @Override
        public boolean isMember(String name) {
            return name.equals(this.member) || name.startsWith(this.member + "/") || this.group.isMember(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return this.group.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return this.group.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return this.group.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return this.group.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return this.group.getAdditionalPath();
        }
    }
}
