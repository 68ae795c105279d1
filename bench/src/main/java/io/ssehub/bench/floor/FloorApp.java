package io.ssehub.bench.floor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * The web application that deploys {@link FloorServlet} at {@code /} for {@code --floor}: a WAR of
 * a {@code web.xml} and the servlet's classes under {@code WEB-INF/classes}, so every container
 * loads it as it loads ssehub's WAR (Undertow's launcher sees nothing of the harness's class path),
 * with its class loading, session and security handling in place.
 */
public final class FloorApp {

    static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
              <servlet>
                <servlet-name>floor</servlet-name>
                <servlet-class>io.ssehub.bench.floor.FloorServlet</servlet-class>
                <async-supported>true</async-supported>
              </servlet>
              <servlet-mapping>
                <servlet-name>floor</servlet-name>
                <url-pattern>/</url-pattern>
              </servlet-mapping>
            </web-app>
            """;

    private FloorApp() {
    }

    /** Writes the application as {@code dir/floor.war} ({@code dir} created if missing) and returns its path. */
    public static Path write(Path dir) throws IOException {
        Path war = Files.createDirectories(dir).resolve("floor.war");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(war))) {
            out.putNextEntry(new JarEntry("WEB-INF/web.xml"));
            out.write(WEB_XML.getBytes(StandardCharsets.UTF_8));
            for (Class<?> type : FloorServlet.class.getNestMembers()) { // the servlet and its nested classes
                String name = type.getName().replace('.', '/') + ".class";
                try (InputStream in = FloorApp.class.getClassLoader().getResourceAsStream(name)) {
                    if (in == null) {
                        throw new IOException("no class file for " + type.getName());
                    }
                    out.putNextEntry(new JarEntry("WEB-INF/classes/" + name));
                    in.transferTo(out);
                }
            }
        }
        return war;
    }
}
