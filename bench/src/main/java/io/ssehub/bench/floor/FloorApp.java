package io.ssehub.bench.floor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The unpacked web application that deploys {@link FloorServlet} at {@code /}, for
 * {@code --floor}. It has only a {@code web.xml}: the servlet's class comes from the harness's
 * class path, which is the server JVM's too, so the container's own class loading, session and
 * security handlers are all in place as they are for the WAR.
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

    /** Writes the application into {@code dir} (created if missing) and returns {@code dir}. */
    public static Path write(Path dir) throws IOException {
        Path webInf = Files.createDirectories(dir.resolve("WEB-INF"));
        Files.writeString(webInf.resolve("web.xml"), WEB_XML, StandardCharsets.UTF_8);
        return dir;
    }
}
