package io.devops.registry.service;

/** The shapes the catalog accepts, shared by registration and update. */
final class Constraints {
    /** A DNS-1123 label, as Kubernetes names services: it can become a host name. */
    static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    static final String DNS_LABEL_MESSAGE = "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit";
    static final String TAG = "[A-Za-z0-9]([A-Za-z0-9._:/-]*[A-Za-z0-9])?";
    static final String TAG_MESSAGE = "must be letters, digits and . _ : / -, starting and ending with a letter or digit";
    static final String VERSION = "[A-Za-z0-9][A-Za-z0-9._+-]*";
    static final String VERSION_MESSAGE = "must be letters, digits and . _ + -";
    static final int MAX_TAGS = 32;
    static final int MAX_METADATA = 64;

    private Constraints() {
    }
}
