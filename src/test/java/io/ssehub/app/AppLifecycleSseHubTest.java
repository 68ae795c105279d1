package io.ssehub.app;

import io.ssehub.api.HubUnavailableException;
import io.ssehub.api.SseHub;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.ArgumentMatchers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/** The host's {@link SseHub} lives exactly as long as the hub: offered at start, withdrawn and refusing at stop. */
class AppLifecycleSseHubTest {

    @Test
    void theHubIsOfferedAtStartAndWithdrawnAndClosedAtStop() {
        ServletContext context = mock(ServletContext.class); // no init parameters: the defaults
        AppLifecycle lifecycle = new AppLifecycle();
        lifecycle.contextInitialized(new ServletContextEvent(context));
        ArgumentCaptor<Object> offered = ArgumentCaptor.forClass(Object.class);
        verify(context).setAttribute(ArgumentMatchers.eq(SseHub.ATTRIBUTE), offered.capture());
        SseHub hub = (SseHub) offered.getValue();
        try {
            assertEquals("orders", hub.publish("orders", "m").topic());
        } finally {
            lifecycle.contextDestroyed(new ServletContextEvent(context));
        }
        verify(context).removeAttribute(SseHub.ATTRIBUTE);
        HubUnavailableException stopped = assertThrows(HubUnavailableException.class, () -> hub.publish("orders", "m"));
        assertEquals(HubUnavailableException.Reason.SHUTTING_DOWN, stopped.reason(), "a reference kept past stop refuses");
    }
}
