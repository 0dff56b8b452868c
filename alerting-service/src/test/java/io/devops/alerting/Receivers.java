package io.devops.alerting;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.devops.common.security.Roles;
import io.devops.common.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Real receivers for notifications: one WireMock HTTP server (every path answers 200 except those
 * under /broken/, which answer 500) and one GreenMail SMTP server; and the admin calls that point
 * channels and routes at them.
 */
final class Receivers implements AutoCloseable {
    static final String ADMIN_TOKEN = Tokens.issue("test-admin", Roles.ADMIN);

    final WireMockServer http = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    final GreenMail smtp;

    Receivers() {
        http.start();
        http.stubFor(post(urlPathMatching("/hooks/.*")).willReturn(ok()));
        http.stubFor(post(urlPathMatching("/broken/.*")).willReturn(aResponse().withStatus(500).withBody("receiver is down")));
        smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    static RequestSpecification admin() {
        return given().auth().oauth2(ADMIN_TOKEN).contentType(ContentType.JSON);
    }

    String url(String path) {
        return "http://127.0.0.1:" + http.port() + path;
    }

    List<LoggedRequest> received(String path) {
        return http.findAll(postRequestedFor(urlEqualTo(path)));
    }

    List<MimeMessage> mails(String recipient) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(message -> {
            try {
                return Arrays.stream(message.getAllRecipients()).anyMatch(address -> address.toString().equals(recipient));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** Creates a channel and returns its name, made unique. */
    static String channel(String name, String type, Map<String, Object> settings, Map<String, String> secrets) {
        String unique = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("name", unique, "type", type, "settings", settings, "secrets", secrets)).post("/channels")
                .then().statusCode(201);
        return unique;
    }

    String webhook(String path) {
        return channel("hook", "webhook", Map.of("url", url(path)), Map.of());
    }

    /** Routes alerts labelled case=<theCase> by {@code route}; the root sends nothing, so other tests' alerts go nowhere. */
    static void route(String theCase, Map<String, Object> route, List<Map<String, Object>> inhibitRules) {
        Map<String, Object> child = new HashMap<>(route);
        child.put("matchers", List.of("case=\"" + theCase + "\""));
        admin().body(Map.of("route", Map.of("channels", List.of(), "routes", List.of(child)), "inhibit_rules", inhibitRules))
                .put("/routing").then().statusCode(200);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        http.stop();
        smtp.stop();
    }
}
