package io.ssehub.app;

import io.ssehub.http.filter.FilterOrder;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentMatchers;
import org.mockito.InOrder;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class EmbeddedInitializerTest {

    private static String prefix(String value) {
        return EmbeddedInitializer.prefix(new Config.Sources(Map.of("ssehub.embedded.prefix", value)::get,
                k -> null, k -> null));
    }

    @Test
    void acceptsPlainSegmentsAndDropsATrailingSlash() {
        assertEquals("/ssehub", prefix("/ssehub"));
        assertEquals("/live/hub", prefix("/live/hub/"));
    }

    @Test
    void registersEveryFilterOfTheChainInItsOrderUnderThePrefix() {
        // The hand-written list here once lacked CorsFilter, so ssehub.cors.origins did nothing when
        // embedded.
        ServletContext context = mock(ServletContext.class);
        when(context.getInitParameter("ssehub.embedded.prefix")).thenReturn("/live/hub");
        FilterRegistration.Dynamic registration = mock(FilterRegistration.Dynamic.class);
        when(context.addFilter(anyString(), ArgumentMatchers.<Class<? extends Filter>>any())).thenReturn(registration);
        ServletRegistration.Dynamic servlet = mock(ServletRegistration.Dynamic.class);
        when(context.addServlet(anyString(), ArgumentMatchers.<Class<? extends jakarta.servlet.Servlet>>any()))
                .thenReturn(servlet);
        when(servlet.addMapping(any(String[].class))).thenReturn(Set.of());

        new EmbeddedInitializer().onStartup(Set.of(), context);

        InOrder order = inOrder(context, registration);
        for (FilterOrder filter : FilterOrder.values()) {
            order.verify(context).addFilter("ssehub." + filter.filterName(), filter.type());
            order.verify(registration).setAsyncSupported(true);
            order.verify(registration).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/live/hub/*");
        }
        verify(context, times(FilterOrder.values().length)).addFilter(anyString(),
                ArgumentMatchers.<Class<? extends Filter>>any());
        verify(servlet).addMapping("/live/hub/*");
        verify(context).setAttribute(EmbeddedInitializer.MOUNTED_AT, "/live/hub"); // so logging stays the host's
    }

    @Test
    void refusesWhatCannotBeAPrefixMapping() {
        for (String bad : new String[]{"/", "ssehub", "/a/*", "/a b", "/a//b", "/%41"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> prefix(bad), bad);
            assertTrue(e.getMessage().contains("ssehub.embedded.prefix"), e.getMessage());
        }
    }
}
