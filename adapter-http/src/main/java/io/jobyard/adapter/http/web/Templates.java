package io.jobyard.adapter.http.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;

/**
 * The pages' templates (src/main/jte), compiled to Java at build time by jte-maven-plugin: no template compiler runs
 * in the server, a template that does not type-check does not build, and every {@code ${value}} is HTML-escaped for
 * the context it is written in (text, attribute) by JTE's HTML output.
 */
public final class Templates {
    private static final String PACKAGE = "io.jobyard.adapter.http.web.templates";
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html,
            Templates.class.getClassLoader(), PACKAGE);

    /** Renders {@code name} (e.g. {@code "job.jte"}) with its one parameter, as UTF-8. */
    public byte[] render(String name, Object model) {
        Utf8ByteOutput output = new Utf8ByteOutput();
        engine.render(name, model, output);
        return output.toByteArray();
    }
}
