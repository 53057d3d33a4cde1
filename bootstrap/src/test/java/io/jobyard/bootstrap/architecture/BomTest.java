package io.jobyard.bootstrap.architecture;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The BOM hosts import names every module the reactor publishes, at the reactor's version, so a host that imports it
 * never mixes two versions of Jobyard. A module added to the build without a line in the BOM fails here.
 */
class BomTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theBomNamesEveryPublishedModuleAtTheReactorsVersion() throws Exception {
        Document parent = parse(ROOT.resolve("pom.xml"));
        Document bom = parse(ROOT.resolve("bom/pom.xml"));

        Set<String> published = new TreeSet<>();
        for (String module : texts(parent.getDocumentElement(), "modules", "module")) {
            Document pom = parse(ROOT.resolve(module).resolve("pom.xml"));
            String packaging = child(pom.getDocumentElement(), "packaging");
            if (!"pom".equals(packaging)) {
                published.add(child(pom.getDocumentElement(), "artifactId"));
            }
        }
        Set<String> listed = new TreeSet<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            assertThat(child(dependency, "groupId")).isEqualTo("io.jobyard");
            assertThat(child(dependency, "version")).isEqualTo("${project.version}");
            listed.add(child(dependency, "artifactId"));
        }

        assertThat(published).isNotEmpty();
        assertThat(listed).isEqualTo(published);
        assertThat(child(bom.getDocumentElement(), "version"))
                .isEqualTo(child(parent.getDocumentElement(), "version"));
    }

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(Files.newInputStream(pom));
    }

    /** The text of a direct child element, or null. */
    private static String child(Element element, String name) {
        for (var node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals(name)) {
                return child.getTextContent().trim();
            }
        }
        return null;
    }

    private static List<String> texts(Element root, String container, String name) {
        List<String> values = new ArrayList<>();
        NodeList containers = root.getElementsByTagName(container);
        for (int i = 0; i < containers.getLength(); i++) {
            NodeList items = ((Element) containers.item(i)).getElementsByTagName(name);
            for (int j = 0; j < items.getLength(); j++) {
                values.add(items.item(j).getTextContent().trim());
            }
        }
        return values;
    }
}
