package dev.asyncrpc.internal.server;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Calls an implementation method through a method handle (steady cost from the first call, unlike
 * reflection's accessor inflation). An exception thrown by the implementation comes out wrapped in
 * {@link InvocationTargetException}; argument mismatches come out as
 * {@link ClassCastException} or {@link NullPointerException} (null for a primitive).
 */
final class Invoker {

    private final MethodHandle handle;

    private Invoker(MethodHandle handle) {
        this.handle = handle;
    }

    static Invoker of(Method method) {
        try {
            MethodHandle h = MethodHandles.lookup().unreflect(method);
            h = h.asType(MethodType.genericMethodType(method.getParameterCount() + 1))
                    .asSpreader(1, Object[].class, method.getParameterCount());
            return new Invoker(h.asType(MethodType.methodType(Object.class, Object.class, Object[].class)));
        }
        catch (IllegalAccessException ex) {
            throw new IllegalArgumentException("cannot call " + method + ": " + ex.getMessage(), ex);
        }
    }

    Object invoke(Object target, Object[] args) throws InvocationTargetException, ClassCastException, NullPointerException {
        Object result;
        try {
            result = this.handle.invokeExact(target, args);
        }
        catch (ClassCastException | NullPointerException ex) {
            if (isArgumentMismatch(ex)) {
                throw ex;
            }
            throw new InvocationTargetException(ex);
        }
        catch (Throwable ex) {
            throw new InvocationTargetException(ex);
        }
        return result;
    }

    /** Whether the exception was raised by the handle's conversions rather than by the implementation. */
    private static boolean isArgumentMismatch(RuntimeException ex) {
        StackTraceElement[] trace = ex.getStackTrace();
        return trace.length > 0 && (trace[0].getClassName().startsWith("java.lang.invoke.")
                || trace[0].getClassName().startsWith("sun.invoke.") || trace[0].getClassName().equals("java.lang.Class")
                || trace[0].getClassName().equals(Invoker.class.getName()));
    }
}
