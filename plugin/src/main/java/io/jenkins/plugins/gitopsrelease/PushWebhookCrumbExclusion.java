package io.jenkins.plugins.gitopsrelease;

import hudson.Extension;
import hudson.security.csrf.CrumbExclusion;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Git providers cannot send a crumb: exempt exactly the webhook's URL space, nothing else. */
@Extension
public class PushWebhookCrumbExclusion extends CrumbExclusion {
    @Override
    public boolean process(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String p = req.getPathInfo();
        if (p != null && (p.equals("/" + PushWebhook.URL_NAME) || p.startsWith("/" + PushWebhook.URL_NAME + "/"))) {
            chain.doFilter(req, resp);
            return true;
        }
        return false;
    }
}
