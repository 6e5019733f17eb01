package io.fastcgibridge.itest;

/** {@link StandaloneTomcatIT} on the Tomcat 10 distribution. */
class Tomcat10IT extends StandaloneTomcatIT {

    @Override
    String version() {
        return System.getProperty("itest.tomcat10.version", "10.1.59");
    }
}
