package io.jenkins.plugins.gitopsrelease.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Null-safe reads from an untyped object (custom resources whose Java types we do not ship). */
final class Fields {
    private Fields() {
    }

    static Object at(GenericKubernetesResource r, String... path) {
        Object cur = r.getAdditionalProperties();
        for (String p : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(p);
        }
        return cur;
    }

    static String string(GenericKubernetesResource r, String... path) {
        Object v = at(r, path);
        return v == null ? null : v.toString();
    }

    static Long number(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static Map<?, ?> map(Object v) {
        return v instanceof Map<?, ?> m ? m : Map.of();
    }

    static String str(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v.toString();
    }

    /** A status condition in the usual Kubernetes shape. */
    record Condition(String type, String status, String reason, String message, Long observedGeneration) {
        boolean isTrue() {
            return "True".equals(status);
        }

        boolean isFalse() {
            return "False".equals(status);
        }

        /** "reason: message", or whichever is present. */
        String explain() {
            if (reason != null && message != null && !message.isBlank()) {
                return reason + ": " + message;
            }
            return reason != null ? reason : message != null ? message : status;
        }
    }

    static List<Condition> conditions(GenericKubernetesResource r) {
        List<Condition> out = new ArrayList<>();
        if (at(r, "status", "conditions") instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> c = map(o);
                out.add(new Condition(str(c, "type"), str(c, "status"), str(c, "reason"), str(c, "message"),
                        number(c.get("observedGeneration"))));
            }
        }
        return out;
    }

    static Optional<Condition> condition(GenericKubernetesResource r, String type) {
        return conditions(r).stream().filter(c -> type.equals(c.type())).findFirst();
    }

    static long generation(GenericKubernetesResource r) {
        Long g = r.getMetadata() == null ? null : r.getMetadata().getGeneration();
        return g == null ? 0 : g;
    }

    /** status.observedGeneration, or -1 when the controller has not written one. */
    static long observedGeneration(GenericKubernetesResource r) {
        Long o = number(at(r, "status", "observedGeneration"));
        return o == null ? -1 : o;
    }
}
