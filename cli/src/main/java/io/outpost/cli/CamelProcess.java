package io.outpost.cli;

import io.outpost.brokerclient.BrokerAccess;
import io.outpost.brokerclient.CloseOnStop;
import io.outpost.brokerclient.SiteJms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.SimpleMainShutdownStrategy;

/**
 * Runs roles in Camel {@link Main} until {@code runFor} is over or the process is asked to stop
 * (Ctrl-C, SIGTERM). Either way Camel stops first, then {@code afterStop} runs (stop brokers, print
 * a summary) before the JVM exits, so journals close cleanly and the next start resumes.
 */
final class CamelProcess {
    /** What a command installs into the context once it is configured. */
    @FunctionalInterface
    interface Installer {
        void install(CamelContext camel) throws Exception;
    }

    private final String name;
    private final Map<String, BrokerAccess> brokers;
    private final Duration runFor;

    /** @param brokers component name ("outpost", "upstream") to how this process reaches that broker */
    CamelProcess(String name, Map<String, BrokerAccess> brokers, Duration runFor) {
        this.name = name;
        this.brokers = brokers;
        this.runFor = runFor;
    }

    void run(Installer installer, Runnable afterStop) throws Exception {
        Main main = new Main();
        main.configure().withName(name);
        // Our own hook stops Camel and then waits for afterStop; Camel's would let the JVM exit first.
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        if (runFor != null) {
            main.configure().withDurationMaxSeconds((int) Math.max(1, runFor.toSeconds()));
        }
        List<JmsComponent> components = new ArrayList<>();
        brokers.forEach((component, access) -> {
            JmsComponent jms = SiteJms.component(access);
            components.add(jms);
            main.bind(component, jms);
        });
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport support) {
                try {
                    // closed with the context, before any embedded broker stops: else the broker's shutdown closes them, warning for each
                    support.getCamelContext().addService(new CloseOnStop(() -> SiteJms.closeConnections(components.toArray(JmsComponent[]::new))), true, true);
                    installer.install(support.getCamelContext());
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            main.completed();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            main.run();
        } finally {
            try {
                afterStop.run();
            } finally {
                stopped.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it waits on the latch just released
                }
            }
        }
    }
}
