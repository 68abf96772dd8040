#!/usr/bin/python3
# Demo provider: speaks just enough of Terraform's plugin protocol (v5 over gRPC with go-plugin's
# automatic mutual TLS) to report an empty schema.
import base64, datetime, os, sys, threading
import grpc
from concurrent import futures
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID

if os.environ.get("TF_PLUGIN_MAGIC_COOKIE") != "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2":
    sys.exit("This is a Terraform provider plugin; terraform runs it.")

key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
now = datetime.datetime.utcnow()
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, True, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(key, hashes.SHA256()))
cert_pem = cert.public_bytes(serialization.Encoding.PEM)
key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())

stopped = threading.Event()
def empty_schema(request, context):
    return b"\x0a\x02\x12\x00"  # GetProviderSchema.Response{provider: Schema{block: Block{}}}
def shutdown(request, context):
    stopped.set()
    return b""

server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
server.add_generic_rpc_handlers((
    grpc.method_handlers_generic_handler("tfplugin5.Provider", {"GetSchema": grpc.unary_unary_rpc_method_handler(empty_schema)}),
    grpc.method_handlers_generic_handler("plugin.GRPCController", {"Shutdown": grpc.unary_unary_rpc_method_handler(shutdown)}),
))
client_cert = os.environ.get("PLUGIN_CLIENT_CERT", "").encode()
credentials = grpc.ssl_server_credentials([(key_pem, cert_pem)], root_certificates=client_cert or None,
                                          require_client_auth=bool(client_cert))
port = server.add_secure_port("127.0.0.1:0", credentials)
server.start()
der = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode().rstrip("=")
print(f"1|5|tcp|127.0.0.1:{port}|grpc|{der}", flush=True)
stopped.wait()
server.stop(0)
